package io.slipway.api.addons.redis;

import static io.slipway.api.support.TestDeploys.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.api.addons.Addon;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

/** heroku-redis against real redis-server processes: what a tenant can and cannot do with its REDIS_URL. */
class RedisAddonProviderTest extends RedisApiTestSupport {
    private UUID newApp() {
        User owner = newUser();
        String name = uniqueAppName("redis");
        call("POST", "/apps").as(owner).json("{\"name\":\"" + name + "\"}").send().expect(201);
        return apps.findByName(name).orElseThrow().id();
    }

    /** A client as an app would connect: REDIS_URL's host, port and password. */
    private static Jedis connect(RedisUrl url) {
        Jedis j = new Jedis(new HostAndPort(url.host(), url.port()),
                DefaultJedisClientConfig.builder().password(url.password()).build());
        j.ping();
        return j;
    }

    private static Jedis unauthenticated(RedisUrl url) {
        return new Jedis(url.host(), url.port());
    }

    @Test
    void provisionedInstanceAnswersOnItsUrl() {
        Addon addon = redis.provision(newApp(), RedisFixture.MINI);
        String url = addon.config().get("URL");
        assertThat(url).matches("redis://default:[0-9a-f]{64}@127\\.0\\.0\\.1:\\d+");
        try (Jedis j = connect(RedisFixture.url(addon))) {
            assertThat(j.set("greeting", "hello")).isEqualTo("OK");
            assertThat(j.get("greeting")).isEqualTo("hello");
        }
    }

    @Test
    void withoutThePasswordOrWithAnotherAddonsPasswordTheInstanceRefuses() {
        Addon mine = redis.provision(newApp(), RedisFixture.MINI);
        Addon theirs = redis.provision(newApp(), RedisFixture.MINI);
        try (Jedis owner = connect(RedisFixture.url(theirs))) {
            owner.set("secret", "their data");
        }
        RedisUrl target = RedisFixture.url(theirs);
        try (Jedis anonymous = unauthenticated(target)) {
            assertThatThrownBy(() -> anonymous.get("secret")).hasMessageContaining("NOAUTH");
        }
        try (Jedis other = unauthenticated(target)) {
            assertThatThrownBy(() -> other.auth(RedisFixture.url(mine).password())).hasMessageContaining("WRONGPASS");
            assertThatThrownBy(() -> other.get("secret")).hasMessageContaining("NOAUTH");
            // the admin user exists, but not with a tenant's password
            assertThatThrownBy(() -> other.auth(RedisConf.ADMIN_USER, target.password())).hasMessageContaining("WRONGPASS");
        }
    }

    @Test
    void commandsThatReachOutsideTheInstanceOrRunItAreRefused() {
        Addon addon = redis.provision(newApp(), RedisFixture.MINI);
        try (Jedis j = connect(RedisFixture.url(addon))) {
            String[][] denied = {
                    {"CONFIG", "GET", "dir"}, {"CONFIG", "SET", "dir", "/tmp"}, {"CONFIG", "SET", "maxmemory", "0"},
                    {"SHUTDOWN", "NOSAVE"}, {"DEBUG", "SLEEP", "0"}, {"MODULE", "LIST"},
                    {"REPLICAOF", "127.0.0.1", "1"}, {"SLAVEOF", "127.0.0.1", "1"},
                    {"MIGRATE", "127.0.0.1", "1", "k", "0", "1000"}, {"ACL", "SETUSER", "x", "on", ">x", "+@all"},
                    {"ACL", "LIST"}, {"SAVE"}, {"BGSAVE"}, {"BGREWRITEAOF"}, {"SYNC"}};
            for (String[] command : denied) {
                assertThatThrownBy(() -> j.sendCommand(() -> SafeEncoder.encode(command[0]),
                        java.util.Arrays.copyOfRange(command, 1, command.length)))
                        .as(String.join(" ", command))
                        .isInstanceOf(JedisDataException.class)
                        // NOPERM from the ACL; DEBUG and MODULE are also off in the configuration itself
                        .hasMessageMatching("(?s)(NOPERM|ERR (DEBUG|MODULE) command not allowed).*");
            }
            assertThat(j.ping()).isEqualTo("PONG");
        }
        assertThat(redis.supervisor.admin(addon.id(), x -> x.configGet("maxmemory").get("maxmemory")))
                .contains(Long.toString(25L * 1024 * 1024));
    }

    @Test
    void writesPastThePlansMemoryAreRefused() {
        Addon addon = redis.provision(newApp(), RedisFixture.TINY);
        try (Jedis j = connect(RedisFixture.url(addon))) {
            String error = fillUntilRefused(j, "k");
            assertThat(error).startsWith("OOM");
        }
    }

    @Test
    void changingThePlanChangesTheLimitsLive() {
        Addon addon = redis.provision(newApp(), RedisFixture.TINY);
        try (Jedis j = connect(RedisFixture.url(addon))) {
            assertThat(fillUntilRefused(j, "a")).startsWith("OOM");
            redis.provider.changePlan(addon, RedisFixture.TINY, RedisFixture.LARGER);
            addon.changePlan(RedisFixture.LARGER.name());
            addons.saveAndFlush(addon);
            assertThat(redis.supervisor.admin(addon.id(), x -> x.configGet("maxmemory").get("maxmemory")))
                    .contains(Long.toString(16L * 1024 * 1024));
            assertThat(redis.supervisor.admin(addon.id(), x -> x.configGet("maxclients").get("maxclients")))
                    .contains("30");
            assertThat(j.set("after-upgrade", "fits")).isEqualTo("OK");
        }
    }

    @Test
    void deprovisionClosesThePortAndDeletesTheData() throws IOException {
        Addon addon = redis.provision(newApp(), RedisFixture.MINI);
        RedisUrl url = RedisFixture.url(addon);
        try (Jedis j = connect(url)) {
            j.set("k", "v");
        }
        assertThat(Files.isDirectory(redis.supervisor.dir(addon.id()))).isTrue();
        redis.deprovision(addon);
        assertThat(Files.exists(redis.supervisor.dir(addon.id()))).isFalse();
        assertThat(instances.findById(addon.id())).isEmpty();
        try (Socket s = new Socket()) {
            assertThatThrownBy(() -> s.connect(new InetSocketAddress(url.host(), url.port()), 2_000))
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void aRestartOfThePlatformKeepsTheDataAndADeadInstanceIsStartedAgain() throws IOException {
        Addon addon = redis.provision(newApp(), RedisFixture.MINI);
        RedisUrl url = RedisFixture.url(addon);
        try (Jedis j = connect(url)) {
            j.set("survives", "restarts");
        }
        redis.supervisor.stop();
        assertThat(redis.supervisor.runs(addon.id())).isFalse();
        redis.startSupervisor();
        await("the new supervisor to start the instance", () -> redis.supervisor.runs(addon.id()));
        try (Jedis j = connect(url)) {
            assertThat(j.get("survives")).isEqualTo("restarts");
        }

        long pid = Long.parseLong(Files.readString(redis.supervisor.dir(addon.id()).resolve("data/redis.pid")).trim());
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        await("the dead instance to be started again", () -> {
            try (Jedis j = connect(url)) {
                return "restarts".equals(j.get("survives"));
            } catch (RuntimeException notYet) {
                return false;
            }
        });
    }

    @Test
    void aProvisionWhoseInstanceDoesNotStartLeavesNothingBehind() throws IOException {
        java.nio.file.Path dir = Files.createTempDirectory("slipway-redis-broken-");
        RedisAddonsConfig broken = new RedisAddonsConfig("/bin/false", dir.toString(), "127.0.0.1",
                redis.config.firstPort(), redis.config.lastPort(), "", "", "", 0, java.time.Duration.ofSeconds(60));
        RedisSupervisor supervisor = new RedisSupervisor(broken, addons, instances, RedisFixture::plan);
        RedisAddonProvider provider = new RedisAddonProvider(supervisor, instances, redis.ports);
        Addon addon = addons.saveAndFlush(new Addon("redis-broken-" + UUID.randomUUID().toString().substring(0, 8),
                newApp(), RedisAddonProvider.SERVICE, RedisFixture.MINI.name()));
        assertThatThrownBy(() -> provider.provision(addon, RedisFixture.MINI))
                .isInstanceOf(io.slipway.api.errors.Unavailable.class)
                .hasMessageContaining("did not start");
        assertThat(instances.findById(addon.id())).isEmpty();
        assertThat(Files.exists(supervisor.dir(addon.id()))).isFalse();
        addons.delete(addon);
        org.springframework.util.FileSystemUtils.deleteRecursively(dir);
    }

    /** Writes 64 KiB values until the server refuses one; returns its error. */
    private static String fillUntilRefused(Jedis j, String prefix) {
        String value = "x".repeat(64 * 1024);
        for (int i = 0; i < 10_000; i++) {
            try {
                j.set(prefix + i, value);
            } catch (JedisDataException refused) {
                return refused.getMessage();
            }
        }
        throw new AssertionError("the instance took 640 MB");
    }
}
