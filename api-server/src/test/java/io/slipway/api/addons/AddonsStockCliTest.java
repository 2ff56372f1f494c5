package io.slipway.api.addons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slipway.api.support.ApiTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.Import;

/**
 * The stock {@code heroku} CLI's add-on commands against this API (with stand-in providers; the launcher's
 * acceptance tests cover the real ones). Skipped when the CLI is not installed where {@code slipway test} puts it
 * ({@code ~/.cache/slipway/heroku-cli-<version>}).
 */
@Import(FakeAddonProviders.class)
class AddonsStockCliTest extends ApiTest {
    private static final Path CLI = Path.of(System.getProperty("user.home"), ".cache/slipway/heroku-cli-"
            + System.getProperty("slipway.heroku-cli.version", "11.10.0"), "node_modules/.bin/heroku");

    record Run(int exit, String output) {}

    @Test
    void addonCommandsOfTheStockCli(@TempDir Path home) throws Exception {
        assumeTrue(Files.isExecutable(CLI), "the stock heroku CLI is not installed at " + CLI);
        User alice = newUser();
        String app = uniqueAppName("cli");
        String other = uniqueAppName("cli2");

        assertThat(ok(home, alice, "apps:create", app, "--addons", "heroku-postgresql")).contains("Adding heroku-postgresql... done");
        ok(home, alice, "apps:create", other);
        assertThat(ok(home, alice, "addons:create", "heroku-postgresql:essential-1", "-a", app))
                .containsPattern("Created postgresql-[a-z]+-\\d+ as HEROKU_POSTGRESQL_[A-Z]+_URL");
        assertThat(ok(home, alice, "addons:create", "heroku-redis", "-a", app, "--as", "CACHE"))
                .containsPattern("Created redis-[a-z]+-\\d+ as CACHE_URL");
        assertThat(ok(home, alice, "addons", "-a", app)).contains("as DATABASE", "as CACHE", "essential-1", "mini");
        assertThat(ok(home, alice, "addons:info", "DATABASE", "-a", app))
                .contains("Attachments:", app + "::DATABASE", "Owning app:   " + app);
        assertThat(ok(home, alice, "addons:plans", "heroku-postgresql")).contains("heroku-postgresql:essential-0");
        assertThat(ok(home, alice, "config", "-a", app)).contains("DATABASE_URL:", "CACHE_URL:");

        assertThat(ok(home, alice, "addons:attach", app + "::DATABASE", "-a", other, "--as", "SHARED"))
                .contains("Setting SHARED config vars and restarting " + other + "... done");
        assertThat(ok(home, alice, "config", "-a", other)).contains("SHARED_URL:");
        assertThat(ok(home, alice, "addons:detach", "SHARED", "-a", other)).contains("Unsetting SHARED config vars");
        assertThat(ok(home, alice, "config", "-a", other)).doesNotContain("SHARED_URL");

        assertThat(ok(home, alice, "addons:upgrade", "DATABASE", "standard-0", "-a", app))
                .contains("to heroku-postgresql:standard-0... done");
        ok(home, alice, "addons:destroy", "CACHE", "-a", app, "--confirm", app);
        assertThat(ok(home, alice, "config", "-a", app)).doesNotContain("CACHE_URL");
        ok(home, alice, "apps:destroy", app, "--confirm", app);
        ok(home, alice, "apps:destroy", other, "--confirm", other);
    }

    private String ok(Path home, User user, String... args) throws Exception {
        Run run = heroku(home, user, args);
        assertThat(run.exit()).as("heroku %s:\n%s", String.join(" ", args), run.output()).isZero();
        return run.output();
    }

    private Run heroku(Path home, User user, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(CLI.toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(home, "out", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().remove("HEROKU_APP");
        pb.environment().put("HOME", home.toString());
        pb.environment().put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        pb.environment().put("XDG_DATA_HOME", home.resolve(".local/share").toString());
        pb.environment().put("XDG_CACHE_HOME", home.resolve(".cache").toString());
        pb.environment().put("HEROKU_HOST", baseUrl());
        pb.environment().put("HEROKU_API_KEY", user.apiKey());
        pb.environment().put("HEROKU_PARTICLEBOARD_URL", baseUrl());
        pb.environment().put("HEROKU_ANALYTICS_URL", "http://127.0.0.1:9/");
        pb.environment().put("HEROKU_SKIP_NEW_VERSION_CHECK", "true");
        pb.environment().put("HEROKU_DISABLE_AUTOUPDATE", "1");
        pb.environment().put("DISABLE_TELEMETRY", "true");
        pb.environment().put("NO_COLOR", "1");
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("heroku " + String.join(" ", args) + " did not finish");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }
}
