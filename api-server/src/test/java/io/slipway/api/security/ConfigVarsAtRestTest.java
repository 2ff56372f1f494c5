package io.slipway.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.secrets.ConfigVarsCipher;
import io.slipway.api.secrets.ReencryptConfigVars;
import io.slipway.api.secrets.SecretsKeyRing;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.TestDeploys;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Config vars at rest: whoever reads the database (a dump, a backup, a replica) without the secrets key sees
 * no value, neither in the app's current config nor in any release's snapshot (nor a one-off's run env). The
 * API answers as before.
 */
class ConfigVarsAtRestTest extends ApiTest {
    private static final String SECRET = "s3cr3t-value-that-must-not-be-in-the-db";

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ApplicationContext context;

    private String appWithSecret(User owner) {
        String app = uniqueAppName("atrest");
        call("POST", "/apps").as(owner).json("{\"name\":\"" + app + "\"}").send().expect(201);
        call("PATCH", "/apps/" + app + "/config-vars").as(owner)
                .json("{\"DATABASE_PASSWORD\":\"" + SECRET + "\"}").send().expect(200);
        call("PATCH", "/apps/" + app + "/config-vars").as(owner).json("{\"OTHER\":\"x\"}").send().expect(200);
        return app;
    }

    private List<String> rawRows(String app) {
        List<String> rows = new java.util.ArrayList<>(jdbc.queryForList(
                "SELECT config_vars FROM apps WHERE name = ?", String.class, app));
        rows.addAll(jdbc.queryForList("SELECT r.config_vars FROM releases r JOIN apps a ON a.id = r.app_id "
                + "WHERE a.name = ? ORDER BY r.version", String.class, app));
        return rows;
    }

    @Test
    void valuesAreAbsentFromRawRowsOfAppsAndReleases() {
        User owner = newUser();
        String app = appWithSecret(owner);
        List<String> rows = rawRows(app);
        assertThat(rows).hasSize(4); // the app, v1, v2 and v3
        for (String row : rows) {
            assertThat(row).startsWith(ConfigVarsCipher.PREFIX + "k1:")
                    .doesNotContain(SECRET).doesNotContain("DATABASE_PASSWORD");
        }
        // the API answers the same JSON as ever
        assertThat(call("GET", "/apps/" + app + "/config-vars").as(owner).send().expect(200).json()
                .path("DATABASE_PASSWORD").asText()).isEqualTo(SECRET);
        assertThat(call("GET", "/apps/" + app + "/releases/2/config-vars").as(owner).send().expect(200).json()
                .path("DATABASE_PASSWORD").asText()).isEqualTo(SECRET);
    }

    @Test
    void sameValuesEncryptDifferently() {
        User owner = newUser();
        String app = appWithSecret(owner);
        call("PATCH", "/apps/" + app + "/config-vars").as(owner).json("{\"OTHER\":null}").send().expect(200);
        List<String> rows = rawRows(app);
        // v2 and v4 hold the same vars, under fresh nonces
        assertThat(rows.get(2)).isNotEqualTo(rows.get(4));
    }

    /** A row written before encryption (plain JSON) still reads, and re-encryption moves it under the key. */
    @Test
    void legacyPlainRowsStillReadAndAreEncryptedByThePass() {
        User owner = newUser();
        String app = appWithSecret(owner);
        jdbc.update("UPDATE apps SET config_vars = ? WHERE name = ?", "{\"LEGACY\":\"" + SECRET + "\"}", app);
        assertThat(call("GET", "/apps/" + app + "/config-vars").as(owner).send().expect(200).json()
                .path("LEGACY").asText()).isEqualTo(SECRET);

        new ReencryptConfigVars(jdbc, running()).run();
        String row = jdbc.queryForObject("SELECT config_vars FROM apps WHERE name = ?", String.class, app);
        assertThat(row).startsWith(ConfigVarsCipher.PREFIX).doesNotContain(SECRET);
        assertThat(call("GET", "/apps/" + app + "/config-vars").as(owner).send().expect(200).json()
                .path("LEGACY").asText()).isEqualTo(SECRET);
    }

    /**
     * Rotation: the operator puts a new key (k2) first and keeps k1 after it. The new ring reads k1 rows, the
     * re-encryption pass moves every row to k2, and the api-server (which holds k2 as a read key) still answers.
     */
    @Test
    void rotatedKeyStillReadsOldRowsAndReencryptionMovesThemToTheNewKey() {
        User owner = newUser();
        String app = appWithSecret(owner);
        ConfigVarsCipher rotated = new ConfigVarsCipher(SecretsKeyRing.parse(SECRETS_KEY_2 + "," + SECRETS_KEY_1));
        assertThat(rotated.decrypt(rawRows(app).get(0))).containsEntry("DATABASE_PASSWORD", SECRET);
        for (String row : rawRows(app)) {
            assertThat(row).startsWith(ConfigVarsCipher.PREFIX + "k1:");
            assertThat(rotated.decrypt(row)).isEqualTo(running().decrypt(row));
        }

        ReencryptConfigVars.Result result = new ReencryptConfigVars(jdbc, rotated).run();
        assertThat(result.rewritten()).isGreaterThanOrEqualTo(4);
        for (String row : rawRows(app)) {
            assertThat(row).startsWith(ConfigVarsCipher.PREFIX + "k2:").doesNotContain(SECRET);
        }
        assertThat(rotated.decrypt(rawRows(app).get(0))).containsEntry("DATABASE_PASSWORD", SECRET);
        // a second pass has nothing left to do for this app's rows
        assertThat(rawRows(app)).allMatch(rotated::underPrimary);
        assertThat(call("GET", "/apps/" + app + "/releases/2/config-vars").as(owner).send().expect(200).json()
                .path("DATABASE_PASSWORD").asText()).isEqualTo(SECRET);

        // a ring without k2 cannot read the rotated rows: the old key alone is useless once k1 is retired
        ConfigVarsCipher oldOnly = new ConfigVarsCipher(SecretsKeyRing.parse(SECRETS_KEY_1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> oldOnly.decrypt(rawRows(app).get(0)))
                .hasMessageContaining("'k2'");
        // put every row back under the running server's primary for the other tests sharing this database
        new ReencryptConfigVars(jdbc, running()).run();
    }

    /** {@code heroku run -e TOKEN=...}: the one-off's env is stored encrypted too, and reaches the agent. */
    @Test
    void oneOffEnvIsEncryptedAndStillReachesTheAgent() {
        User owner = newUser();
        String app = appWithSecret(owner);
        TestDeploys.deploy(context, app, Map.of("web", "npm start"));
        String agent = newAgentId();
        asAgent(agent, "POST", "/internal/agents")
                .json("{\"agent_id\":\"" + agent + "\",\"host\":\"127.0.0.1\",\"memory_mb\":4096,\"dyno_slots\":32}")
                .send().expect(200);
        String name = call("POST", "/apps/" + app + "/dynos").as(owner)
                .json("{\"attach\":false,\"command\":\"env\",\"env\":{\"RUN_TOKEN\":\"" + SECRET + "\"}}")
                .send().expect(201).json().path("name").asText();

        String raw = jdbc.queryForObject("SELECT d.run_env FROM dynos d JOIN apps a ON a.id = d.app_id "
                + "WHERE a.name = ? AND d.name = ?", String.class, app, name);
        assertThat(raw).startsWith(ConfigVarsCipher.PREFIX).doesNotContain(SECRET).doesNotContain("RUN_TOKEN");

        TestDeploys.await("the one-off placed", () -> jdbc.queryForObject("SELECT d.agent_id FROM dynos d "
                + "JOIN apps a ON a.id = d.app_id WHERE a.name = ? AND d.name = ?", String.class, app, name) != null);
        String placedOn = jdbc.queryForObject("SELECT d.agent_id FROM dynos d JOIN apps a ON a.id = d.app_id "
                + "WHERE a.name = ? AND d.name = ?", String.class, app, name);
        JsonNode assignments = asAgent(placedOn, "GET", "/internal/agents/" + placedOn + "/assignments")
                .send().expect(200).json();
        List<JsonNode> mine = new java.util.ArrayList<>();
        assignments.path("dynos").forEach(d -> {
            if (d.path("app_name").asText().equals(app) && d.path("name").asText().equals(name)) mine.add(d);
        });
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).path("env").path("RUN_TOKEN").asText()).isEqualTo(SECRET);
        assertThat(mine.get(0).path("env").path("DATABASE_PASSWORD").asText()).isEqualTo(SECRET);
    }

    @Test
    void tamperedCiphertextIsRefusedNotMisread() {
        ConfigVarsCipher cipher = running();
        String sealed = cipher.encrypt(Map.of("A", "b"));
        String relabelled = sealed.replace(ConfigVarsCipher.PREFIX + "k1:", ConfigVarsCipher.PREFIX + "k2:");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cipher.decrypt(relabelled))
                .isInstanceOf(IllegalStateException.class);
    }

    private static ConfigVarsCipher running() {
        return new ConfigVarsCipher(SecretsKeyRing.parse(SECRETS_KEY_1 + "," + SECRETS_KEY_2));
    }
}
