package io.slipway.api.addons.redis;

import static io.slipway.api.support.TestDeploys.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.addons.Addon;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The data API the stock CLI's redis:info, redis:cli, redis:credentials, redis:maxmemory and redis:timeout call,
 * against a real instance. The api-server under test is not the Redis host here (its own supervisor is off): the
 * fixture's supervisor plays the host, so changes made through the API reach the instance as on a second node.
 */
class RedisDataApiTest extends RedisApiTestSupport {
    private Addon addonOf(User owner) {
        String name = uniqueAppName("redisdata");
        call("POST", "/apps").as(owner).json("{\"name\":\"" + name + "\"}").send().expect(201);
        return redis.provision(apps.findByName(name).orElseThrow().id(), RedisFixture.MINI);
    }

    @Test
    void infoDescribesTheInstanceAsTheCliReadsIt() {
        User owner = newUser();
        Addon addon = addonOf(owner);
        for (String identity : new String[] {addon.name(), addon.id().toString()}) {
            JsonNode db = call("GET", "/redis/v0/databases/" + identity).as(owner).send().expect(200).json();
            assertThat(db.get("name").asText()).isEqualTo(addon.name());
            assertThat(db.get("addon_id").asText()).isEqualTo(addon.id().toString());
            assertThat(db.get("resource_url").asText()).isEqualTo(addon.config().get("URL"));
            // redis:cli opens plain TCP to resource_url's port only for hobby plans without native TLS
            assertThat(db.get("plan").asText()).isEqualTo("hobby-mini");
            assertThat(db.get("prefer_native_tls").asBoolean()).isFalse();
            Map<String, String> info = new HashMap<>();
            db.get("info").forEach(row -> info.put(row.get("name").asText(), row.get("values").get(0).asText()));
            assertThat(info).containsEntry("Plan", "Mini").containsEntry("Status", "available")
                    .containsEntry("Maxmemory", "noeviction").containsEntry("Timeout", "300");
            assertThat(info.get("Version")).startsWith("7.");
        }
    }

    /** What redis:cli does after GET /redis/v0/databases/{id}: plain TCP to resource_url, inline commands. */
    @Test
    void redisCliConnectsToResourceUrlAndSpeaksInlineCommands() throws Exception {
        User owner = newUser();
        Addon addon = addonOf(owner);
        JsonNode db = call("GET", "/redis/v0/databases/" + addon.id()).as(owner).send().expect(200).json();
        java.net.URI uri = java.net.URI.create(db.get("resource_url").asText());
        String password = uri.getUserInfo().substring(uri.getUserInfo().indexOf(':') + 1);
        try (java.net.Socket s = new java.net.Socket(uri.getHost(), uri.getPort())) {
            s.setSoTimeout(10_000);
            var out = s.getOutputStream();
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            out.write(("AUTH " + password + "\nSET visited yes\nGET visited\nQUIT\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.flush();
            assertThat(in.readLine()).isEqualTo("+OK");
            assertThat(in.readLine()).isEqualTo("+OK");
            assertThat(in.readLine()).isEqualTo("$3");
            assertThat(in.readLine()).isEqualTo("yes");
        }
    }

    @Test
    void anotherUserCannotSeeOrChangeTheDatabase() {
        Addon addon = addonOf(newUser());
        User stranger = newUser();
        call("GET", "/redis/v0/databases/" + addon.name()).as(stranger).send().expectError(404, "not_found");
        call("GET", "/redis/v0/databases/" + addon.id()).as(stranger).send().expectError(404, "not_found");
        call("PATCH", "/redis/v0/databases/" + addon.name() + "/config").as(stranger)
                .json("{\"maxmemory_policy\":\"allkeys-lru\"}").send().expectError(404, "not_found");
        call("GET", "/redis/v0/databases/" + addon.name()).send().expectError(401, "unauthorized");
        assertThat(instances.findById(addon.id()).orElseThrow().maxmemoryPolicy()).isNull();
    }

    @Test
    void maxmemoryPolicyAndTimeoutChangesReachTheInstance() {
        User owner = newUser();
        Addon addon = addonOf(owner);
        JsonNode policy = call("PATCH", "/redis/v0/databases/" + addon.name() + "/config").as(owner)
                .json("{\"maxmemory_policy\":\"allkeys-lru\"}").send().expect(200).json();
        assertThat(policy.get("maxmemory_policy").get("value").asText()).isEqualTo("allkeys-lru");
        assertThat(policy.get("maxmemory_policy").get("values").has("allkeys-lru")).isTrue();
        JsonNode timeout = call("PATCH", "/redis/v0/databases/" + addon.id() + "/config").as(owner)
                .json("{\"timeout\":42}").send().expect(200).json();
        assertThat(timeout.get("timeout").get("value").asInt()).isEqualTo(42);
        await("the Redis host to apply the new settings", () ->
                redis.supervisor.admin(addon.id(), j -> j.configGet("maxmemory-policy").get("maxmemory-policy"))
                        .filter("allkeys-lru"::equals).isPresent()
                && redis.supervisor.admin(addon.id(), j -> j.configGet("timeout").get("timeout"))
                        .filter("42"::equals).isPresent());
        call("PATCH", "/redis/v0/databases/" + addon.name() + "/config").as(owner)
                .json("{\"maxmemory_policy\":\"everything\"}").send().expectError(422, "invalid_params");
    }
}
