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

/**
 * An api-server running as root starts each tenant's Redis as its own unprivileged uid, never as root and never
 * as another instance's: one broken-into redis-server can read neither the host nor another add-on's data.
 */
class RedisRunAsTest extends ApiTest {
    @Autowired
    AddonRepository addons;
    @Autowired
    RedisInstanceRepository instances;
    @Autowired
    AppRepository apps;

    @Test
    void everyInstanceRunsAsItsOwnUnprivilegedUid() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to change user");
        int uidBase = 310_000;
        try (RedisFixture redis = new RedisFixture(addons, instances, uidBase)) {
            java.util.Set<String> uids = new java.util.HashSet<>();
            for (int i = 0; i < 2; i++) uids.add(uidOf(redis, redis.provision(newApp(), RedisFixture.MINI), uidBase));
            assertThat(uids).hasSize(2).doesNotContain("0");
        }
    }

    private java.util.UUID newApp() {
        String name = uniqueAppName("redis-runas");
        call("POST", "/apps").as(newUser()).json("{\"name\":\"" + name + "\"}").send().expect(201);
        return apps.findByName(name).orElseThrow().id();
    }

    private static String uidOf(RedisFixture redis, Addon addon, int uidBase) throws IOException {
        RedisUrl url = RedisFixture.url(addon);
        try (Jedis j = new Jedis(new HostAndPort(url.host(), url.port()),
                DefaultJedisClientConfig.builder().password(url.password()).build())) {
            assertThat(j.set("k", "v")).isEqualTo("OK");
            long pid = Long.parseLong(j.info("server").lines().filter(l -> l.startsWith("process_id:"))
                    .findFirst().orElseThrow().substring("process_id:".length()).trim());
            String uidLine = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
            String expected = Integer.toString(uidBase + url.port() - redis.config.firstPort());
            // real, effective, saved and file-system uid: all the instance's own
            assertThat(uidLine.split("\\s+")).containsExactly("Uid:", expected, expected, expected, expected);
            assertThat(Files.getOwner(redis.supervisor.dir(addon.id()).resolve("data")).getName()).isEqualTo(expected);
            return expected;
        }
    }
}
