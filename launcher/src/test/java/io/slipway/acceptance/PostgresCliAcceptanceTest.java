package io.slipway.acceptance;

import static io.slipway.shared.net.LocalPorts.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slipway.api.addons.Addon;
import io.slipway.api.addons.AddonAttachment;
import io.slipway.api.addons.AddonAttachmentRepository;
import io.slipway.api.addons.AddonRepository;
import io.slipway.api.addons.catalogue.AddonCatalogue;
import io.slipway.api.addons.postgres.PostgresAddonProvider;
import io.slipway.api.addons.provider.Provisioned;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.pgdata.CaptureBackup;
import io.slipway.api.pgdata.PgTransfer;
import io.slipway.api.pgdata.PgTransferRepository;
import io.slipway.launcher.LauncherConfig;
import io.slipway.launcher.Platform;
import io.slipway.shared.testing.ScratchDirs;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * heroku-postgresql with the stock CLI on a real {@code slipway up}: the apps' PostgreSQL started by the launcher,
 * a database reachable at the URL it hands out (with the stack's {@code psql}), and the data commands that need
 * no add-on resolution ({@code pg:backups}, {@code pg:backups:info}, {@code pg:backups:download},
 * {@code pg:backups:url}) going to {@code HEROKU_DATA_HOST} as {@code env.sh} sets it. The add-on is made through
 * the provider and repositories of the in-process api-server: the add-on API ({@code addons:create}, the
 * attachment resolver every other {@code pg:*} command calls first) is another part of the work, and the commands
 * that need it are added here once both are merged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresCliAcceptanceTest {
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();

    private static final Path PSQL = Path.of("/usr/lib/postgresql/15/bin/psql");
    private Platform platform;
    private HerokuCli cli;
    private String dataHost;
    private final String app = "pg-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    void start() throws Exception {
        assumeTrue(Files.isExecutable(PSQL), "needs Debian's postgresql-client 15");
        Path dataDir = scratch.create("slipway-pg-cli").resolve("data");
        platform = Platform.start(new LauncherConfig(dataDir, freePort(), "admin@example.com", 0));
        cli = HerokuCli.asAdminOf(platform);
        dataHost = envSh("HEROKU_DATA_HOST");
        cli.run("apps:create", app).ok();
    }

    @AfterAll
    void stop() {
        if (platform != null) platform.close();
    }

    @Test
    void aDatabaseOfTheAppsPostgresAnswersItsUrlAndItsBackupsListAndDownloadWithTheStockCli() throws Exception {
        Addon addon = newAddon();
        String url = addon.config().get("URL");
        // the dyno sandbox opens the apps' PostgreSQL at exactly DATABASE_URL's host and port
        assertTrue(platform.addonServices().contains(URI.create(url).getHost() + ":" + URI.create(url).getPort()),
                platform.addonServices() + " " + url);
        Result psql = exec(List.of(PSQL.toString(), url, "-v", "ON_ERROR_STOP=1", "-c",
                "CREATE TABLE notes (id int); INSERT INTO notes VALUES (1), (2), (3); SELECT count(*) FROM notes"));
        assertEquals(0, psql.code(), psql.output());
        assertTrue(psql.output().contains("3"), psql.output());

        PgTransfer backup = bean(CaptureBackup.class).capture(addon, false);
        awaitFinished(backup.id());

        Result list = data("pg:backups", "-a", app);
        assertEquals(0, list.code(), list.output());
        assertTrue(list.output().contains("b001"), list.output());
        assertTrue(list.output().contains("Completed"), list.output());
        assertTrue(list.output().contains(addon.name()), list.output());

        Result info = data("pg:backups:info", "b001", "-a", app);
        assertEquals(0, info.code(), info.output());
        assertTrue(info.output().contains("Completed"), info.output());

        Path file = Files.createTempFile("pg-cli", ".dump");
        Files.delete(file);
        Result download = data("pg:backups:download", "b001", "-a", app, "--output", file.toString());
        assertEquals(0, download.code(), download.output());
        byte[] head;
        try {
            head = Files.readAllBytes(file);
        } finally {
            Files.deleteIfExists(file);
        }
        assertEquals("PGDMP", new String(head, 0, 5, StandardCharsets.US_ASCII));

        Result publicUrl = data("pg:backups:url", "b001", "-a", app);
        assertEquals(0, publicUrl.code(), publicUrl.output());
        assertTrue(publicUrl.stdout().trim().startsWith("http"), publicUrl.output());
    }

    private Addon newAddon() {
        UUID appId = bean(AppRepository.class).findByName(app).orElseThrow().id();
        AddonCatalogue catalogue = bean(AddonCatalogue.class);
        String plan = catalogue.service("heroku-postgresql").orElseThrow().defaultPlan().name();
        Addon addon = new Addon("postgresql-cli-" + UUID.randomUUID().toString().substring(0, 8), appId,
                PostgresAddonProvider.SERVICE, plan);
        Provisioned p = bean(PostgresAddonProvider.class).provision(addon, catalogue.plan(plan).orElseThrow());
        addon.provisioned(p.providerId(), p.config());
        bean(AddonRepository.class).save(addon);
        bean(AddonAttachmentRepository.class).save(new AddonAttachment(addon.id(), appId, "DATABASE"));
        return addon;
    }

    private void awaitFinished(UUID transfer) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (bean(PgTransferRepository.class).findById(transfer).orElseThrow().finishedAt() == null) {
            if (System.nanoTime() > deadline) throw new AssertionError("the backup did not finish");
            Thread.sleep(100); // polling a condition
        }
        assertTrue(bean(PgTransferRepository.class).findById(transfer).orElseThrow().succeeded());
    }

    private <T> T bean(Class<T> type) {
        ConfigurableApplicationContext api = platform.apiServer();
        return api.getBean(type);
    }

    private record Result(int code, String stdout, String stderr) {
        String output() { return stdout + stderr; }
    }

    /** A CLI command with HEROKU_DATA_HOST as env.sh has it. */
    private Result data(String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = cli.processBuilder(args);
        pb.environment().put("HEROKU_DATA_HOST", dataHost);
        return run(pb);
    }

    private static Result exec(List<String> command) throws IOException, InterruptedException {
        return run(new ProcessBuilder(new ArrayList<>(command)));
    }

    private static Result run(ProcessBuilder pb) throws IOException, InterruptedException {
        Path out = Files.createTempFile("pg-cli-out", ".txt");
        Path err = Files.createTempFile("pg-cli-err", ".txt");
        try {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", pb.command()) + " did not finish");
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private String envSh(String name) throws IOException {
        for (String line : Files.readAllLines(platform.dataDir().envFile())) {
            String prefix = "export " + name + "=";
            if (line.startsWith(prefix)) return line.substring(prefix.length()).replace("'", "");
        }
        throw new AssertionError(name + " not in env.sh");
    }
}
