package io.slipway.launcher;

import io.slipway.shared.http.CaTrust;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slipway.api.addons.Addon;
import io.slipway.api.addons.AddonRepository;
import io.slipway.api.addons.catalogue.AddonCatalogue;
import io.slipway.api.addons.catalogue.AddonPlan;
import io.slipway.api.addons.provider.Provisioned;
import io.slipway.api.addons.redis.RedisAddonProvider;
import io.slipway.api.addons.redis.RedisSupervisor;
import io.slipway.api.apps.AppRepository;
import io.slipway.shared.net.LocalPorts;
import io.slipway.shared.testing.ScratchDirs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * {@code slipway up} with Debian's redis-server installed offers heroku-redis: an instance provisioned on it
 * answers on the host's address, and keeps its data across a stop and start of the whole platform. (The add-on is
 * made through the provider, as {@code addons:create} will; the CLI test comes with the add-ons API.)
 */
class RedisPlatformTest {
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();

    @Test
    void redisAddonsRunOnThePlatformAndSurviveARestart() throws Exception {
        assumeTrue(Files.isExecutable(RedisAddons.SERVER_BINARY), "needs Debian's redis-server");
        Path root = scratch.create("slipway-redis-platform-test");
        Path dataDir = root.resolve("data");
        LauncherConfig config = new LauncherConfig(dataDir, LocalPorts.freePort(), "admin@example.com");
        String url;
        UUID addonId;
        Platform platform = Platform.start(config);
        try {
            assertTrue(platform.addonServices().contains(HostAddress.primaryIpv4() + ":6400-6999"), platform.addonServices().toString());
            String app = "redis-" + UUID.randomUUID().toString().substring(0, 8);
            HttpClient https = HttpClient.newBuilder().sslContext(CaTrust.sslContext(platform.tls().caCert())).build();
            HttpResponse<String> created = https.send(HttpRequest.newBuilder(URI.create(config.publicUrl() + "/apps"))
                    .header("Authorization", "Bearer " + platform.adminApiKey())
                    .header("Accept", "application/vnd.heroku+json; version=3")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + app + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            var beans = platform.apiServer();
            UUID appId = beans.getBean(AppRepository.class).findByName(app).orElseThrow().id();
            AddonPlan mini = beans.getBean(AddonCatalogue.class).plan("heroku-redis:mini").orElseThrow();
            AddonRepository addons = beans.getBean(AddonRepository.class);
            Addon addon = addons.saveAndFlush(new Addon("redis-platform-" + app, appId, "heroku-redis", mini.name()));
            Provisioned p = beans.getBean(RedisAddonProvider.class).provision(addon, mini);
            addon.provisioned(p.providerId(), p.config());
            addons.saveAndFlush(addon);
            addonId = addon.id();
            url = p.config().get("URL");
            assertTrue(url.startsWith("redis://default:"), url);
            assertEquals(HostAddress.primaryIpv4(), URI.create(url).getHost());
            try (Jedis j = new Jedis(URI.create(url))) {
                assertEquals("OK", j.set("kept", "across restarts"));
            }
            Path instanceData = dataDir.resolve("addons-redis").resolve(addonId.toString()).resolve("data");
            assertTrue(Files.isDirectory(instanceData));
            if ("root".equals(System.getProperty("user.name"))) { // the instance's own uid, never root
                assertEquals(Integer.toString(RedisAddons.UID_BASE + URI.create(url).getPort() - RedisAddons.FIRST_PORT),
                        Files.getOwner(instanceData).getName());
            }
        } finally {
            platform.close();
        }

        platform = Platform.start(config);
        try {
            RedisSupervisor supervisor = platform.apiServer().getBean(RedisSupervisor.class);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!supervisor.runs(addonId)) { // started by the supervisor's first reconcile
                assertTrue(System.nanoTime() < deadline, "the instance did not come back");
                Thread.sleep(50);
            }
            try (Jedis j = new Jedis(URI.create(url))) {
                assertEquals("across restarts", j.get("kept"));
            }
            Addon addon = platform.apiServer().getBean(AddonRepository.class).findById(addonId).orElseThrow();
            platform.apiServer().getBean(RedisAddonProvider.class).deprovision(addon);
        } finally {
            platform.close();
        }
    }
}
