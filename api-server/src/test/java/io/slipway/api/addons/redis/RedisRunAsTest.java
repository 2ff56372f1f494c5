package io.slipway.api.addons.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slipway.api.addons.Addon;
import io.slipway.api.addons.AddonRepository;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.support.ApiTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/** An api-server running as root starts tenants' Redis as the unprivileged redis user, never as root. */
class RedisRunAsTest extends ApiTest {
    @Autowired
    AddonRepository addons;
    @Autowired
    RedisInstanceRepository instances;
    @Autowired
    AppRepository apps;

    @Test
    void instancesRunAsTheConfiguredUserNotAsRoot() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to change user");
        assumeTrue(Files.readString(Path.of("/etc/passwd")).contains("\nredis:"), "needs Debian's redis user");
        try (RedisFixture redis = new RedisFixture(addons, instances, "redis")) {
            String name = uniqueAppName("redis-runas");
            call("POST", "/apps").as(newUser()).json("{\"name\":\"" + name + "\"}").send().expect(201);
            Addon addon = redis.provision(apps.findByName(name).orElseThrow().id(), RedisFixture.MINI);
            RedisUrl url = RedisFixture.url(addon);
            try (Jedis j = new Jedis(new HostAndPort(url.host(), url.port()),
                    DefaultJedisClientConfig.builder().password(url.password()).build())) {
                assertThat(j.set("k", "v")).isEqualTo("OK");
                long pid = Long.parseLong(j.info("server").lines().filter(l -> l.startsWith("process_id:"))
                        .findFirst().orElseThrow().substring("process_id:".length()).trim());
                String uidLine = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                        .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
                String redisUid = Files.readAllLines(Path.of("/etc/passwd")).stream()
                        .filter(l -> l.startsWith("redis:")).findFirst().orElseThrow().split(":")[2];
                // real, effective, saved and file-system uid: all the redis user's
                assertThat(uidLine.split("\\s+")).containsExactly("Uid:", redisUid, redisUid, redisUid, redisUid);
            }
        }
    }
}
