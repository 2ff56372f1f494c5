package io.slipway.acceptance;

import static io.slipway.acceptance.TestHost.onPath;
import static io.slipway.shared.net.LocalPorts.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slipway.launcher.LauncherConfig;
import io.slipway.launcher.Platform;
import io.slipway.shared.testing.ScratchDirs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Add-ons end to end with the stock CLI, as issue 10 asks: an app gets a real PostgreSQL database and a real Redis,
 * its {@code release:} phase migrates the schema before the release goes live, it serves rows it writes to
 * {@code DATABASE_URL} and counts hits in {@code REDIS_URL} (reached from inside its sandbox); a backup brings a
 * dropped table back; a failing release phase leaves the previous release serving; one app's credentials open no
 * other app's database; a destroyed add-on's database and role are gone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AddonsAcceptanceTest {
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();

    private static final Duration DEPLOY = Duration.ofSeconds(180);
    private static final Pattern URL_VAR = Pattern.compile("(?m)^(\\w+_URL):\\s+(\\S+)$");
    private Platform platform;
    private HerokuCli cli;
    private RouterClient router;
    private Path repo;
    private final String app = "adn-" + UUID.randomUUID().toString().substring(0, 8);
    private final String other = "adn2-" + UUID.randomUUID().toString().substring(0, 8);
    private String pgAddon;
    private String redisAddon;

    @BeforeAll
    void start() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "builds and dynos run in runc containers, which need root");
        assumeTrue(onPath("runc") && onPath("psql") && onPath("redis-server") && onPath("redis-cli"),
                "needs runc, psql and redis (launcher/scripts/install-packages.sh)");
        Path dataDir = scratch.create("slipway-addons").resolve("data");
        platform = Platform.start(new LauncherConfig(dataDir, freePort(), "admin@example.com", 0));
        cli = HerokuCli.asAdminOf(platform);
        router = new RouterClient(platform.routerPort());
        repo = scratch.create("addons-repo");
        Files.writeString(repo.resolve("requirements.txt"), "# no packages: the app uses the stack's psql and redis-cli\n");
        Files.writeString(repo.resolve("app.py"), APP);
        Files.writeString(repo.resolve("release.sh"), RELEASE);
        Files.writeString(repo.resolve("Procfile"), "release: sh release.sh\nweb: python3 app.py\n");
        git("init", "-q", "-b", "main", ".");
        git("add", "-A");
        git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "first");
        cli.run(repo, null, 120, "apps:create", app).ok();
        cli.run("apps:create", other).ok();
    }

    @AfterAll
    void stop() {
        if (platform != null) platform.close();
    }

    @Test
    @Order(10)
    void createsAPostgresDatabaseAndSetsItsConfigVars() throws Exception {
        HerokuCli.Result created = cli.run("addons:create", "heroku-postgresql", "-a", app).ok();
        Matcher name = Pattern.compile("Created (postgresql-[a-z]+-\\d+) as DATABASE_URL").matcher(created.stdout());
        assertTrue(name.find(), created.output());
        pgAddon = name.group(1);
        String config = cli.run("config", "-a", app).ok().stdout();
        assertTrue(config.contains("DATABASE_URL:"), config);
        assertTrue(Pattern.compile("(?m)^HEROKU_POSTGRESQL_[A-Z]+_URL:").matcher(config).find(), config);
    }

    @Test
    @Order(20)
    void createsARedisAndListsBothAddons() throws Exception {
        HerokuCli.Result created = cli.run("addons:create", "heroku-redis", "-a", app).ok();
        Matcher name = Pattern.compile("Created (redis-[a-z]+-\\d+) as REDIS_URL").matcher(created.stdout());
        assertTrue(name.find(), created.output());
        redisAddon = name.group(1);
        String list = cli.run("addons", "-a", app).ok().stdout();
        assertTrue(list.contains("heroku-postgresql") && list.contains(pgAddon), list);
        assertTrue(list.contains("heroku-redis") && list.contains(redisAddon), list);
        String info = cli.run("addons:info", pgAddon, "-a", app).ok().stdout();
        assertTrue(info.contains(pgAddon) && info.contains("heroku-postgresql:essential-0"), info);
    }

    @Test
    @Order(30)
    void theReleasePhaseMigratesAndTheAppUsesBothAddons() throws Exception {
        HerokuCli.Result push = cli.git(repo, "push", "heroku", "main");
        assertEquals(0, push.exitCode(), push.output());
        assertTrue(push.output().contains("migrated notes"), push.output());
        router.awaitBody(app, "addons app", DEPLOY);
        assertEquals("written", get("/write/alpha"));
        assertEquals("written", get("/write/beta"));
        assertEquals("alpha\nbeta", get("/rows"));
        assertEquals("1", get("/hit"));
        assertEquals("2", get("/hit"));
    }

    @Test
    @Order(40)
    void pgCommandsReachTheDatabase() throws Exception {
        String info = cli.run("pg:info", "-a", app).ok().stdout();
        assertTrue(info.contains("HEROKU_POSTGRESQL_") && info.contains("Plan"), info);
        String count = cli.run("pg:psql", "-c", "SELECT count(*) AS n FROM notes", "-a", app).ok().stdout();
        assertTrue(count.contains(" 2"), count);
        String url = cli.run("pg:credentials:url", "-a", app).ok().stdout();
        assertTrue(url.contains("postgres://"), url);
    }

    @Test
    @Order(50)
    void aBackupBringsADroppedTableBack() throws Exception {
        cli.run("pg:backups:capture", "-a", app).ok();
        assertTrue(cli.run("pg:backups", "-a", app).ok().stdout().contains("b001"));
        cli.run("pg:psql", "-c", "DROP TABLE notes", "-a", app).ok();
        assertNotEquals("alpha\nbeta", get("/rows"));
        cli.run("pg:backups:restore", "--confirm", app, "-a", app).ok();
        assertEquals("alpha\nbeta", get("/rows"));
    }

    @Test
    @Order(60)
    void redisCommandsReachTheInstance() throws Exception {
        String info = cli.run("redis:info", "-a", app).ok().stdout();
        assertTrue(info.contains(redisAddon), info);
        HerokuCli.Result hits = cli.run(null, "GET hits\n", 60, "redis:cli", "-a", app, "--confirm", app);
        assertTrue(hits.stdout().contains("2"), hits.output());
    }

    @Test
    @Order(70)
    void anAttachmentSharesTheDatabaseAndOneAppsCredentialsOpenNoOtherDatabase() throws Exception {
        cli.run("addons:attach", pgAddon, "--as", "SHARED_DB", "-a", other).ok();
        assertEquals(configUrl(app, "DATABASE_URL"), configUrl(other, "SHARED_DB_URL"));
        cli.run("addons:create", "heroku-postgresql", "-a", other).ok();
        URI own = URI.create(configUrl(other, "DATABASE_URL"));
        URI victim = URI.create(configUrl(app, "DATABASE_URL"));
        // the other app's user and password, the first app's database: refused
        String forged = "postgres://" + own.getRawUserInfo() + "@" + own.getHost() + ":" + own.getPort() + victim.getPath();
        ProcessResult psql = psql(forged, "SELECT body FROM notes");
        assertNotEquals(0, psql.exit(), psql.output());
        assertFalse(psql.output().contains("alpha"), psql.output());
        cli.run("addons:detach", "SHARED_DB", "-a", other).ok();
        assertFalse(cli.run("config", "-a", other).ok().stdout().contains("SHARED_DB_URL"));
    }

    @Test
    @Order(80)
    void aFailingReleasePhaseLeavesThePreviousReleaseServing() throws Exception {
        String before = currentReleaseLine();
        Files.writeString(repo.resolve("fail-release"), "the release phase exits 1 while this file exists\n");
        git("add", "-A");
        git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "breaks the release phase");
        HerokuCli.Result push = cli.git(repo, "push", "heroku", "main");
        assertNotEquals(0, push.exitCode(), push.output());
        assertTrue(push.output().contains("release failing on purpose"), push.output());
        assertEquals(before, currentReleaseLine());
        assertEquals("alpha\nbeta", get("/rows"), "the previous release serves");
    }

    @Test
    @Order(90)
    void resetEmptiesTheDatabase() throws Exception {
        cli.run("pg:reset", "--confirm", app, "-a", app).ok();
        ProcessResult psql = psql(configUrl(app, "DATABASE_URL"), "SELECT count(*) FROM notes");
        assertNotEquals(0, psql.exit(), psql.output());
        assertTrue(psql.output().contains("does not exist"), psql.output());
    }

    @Test
    @Order(100)
    void destroyingAnAddonRemovesItsVarsItsDatabaseAndItsRole() throws Exception {
        String url = configUrl(app, "DATABASE_URL");
        cli.run("addons:destroy", pgAddon, "--confirm", app, "-a", app).ok();
        String config = cli.run("config", "-a", app).ok().stdout();
        assertFalse(config.contains("DATABASE_URL:"), config);
        ProcessResult psql = psql(url, "SELECT 1");
        assertNotEquals(0, psql.exit(), psql.output());
        assertTrue(psql.output().contains("password authentication failed") || psql.output().contains("does not exist"),
                psql.output());
        cli.run("addons:destroy", redisAddon, "--confirm", app, "-a", app).ok();
        assertFalse(cli.run("addons", "-a", app).ok().stdout().contains(redisAddon));
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = router.get(app, path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return r.body().strip();
    }

    private String currentReleaseLine() throws Exception {
        String releases = cli.run("releases", "-n", "1", "-a", app).ok().stdout();
        return releases.lines().filter(l -> l.matches("^v\\d+.*")).findFirst().orElse(releases).split("\\s+")[0];
    }

    private String configUrl(String appName, String key) throws Exception {
        Matcher m = URL_VAR.matcher(cli.run("config", "-a", appName).ok().stdout());
        while (m.find()) {
            if (m.group(1).equals(key)) return m.group(2);
        }
        throw new AssertionError(appName + " has no " + key);
    }

    private record ProcessResult(int exit, String output) {}

    private static ProcessResult psql(String url, String sql) throws Exception {
        Process p = new ProcessBuilder("psql", url, "-At", "-c", sql).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "psql hung");
        return new ProcessResult(p.exitValue(), out);
    }

    private String git(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    /** The release phase: migrates, and fails on purpose while {@code fail-release} exists. */
    private static final String RELEASE = """
            set -e
            if [ -f fail-release ]; then echo "release failing on purpose"; exit 1; fi
            psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -q -c 'CREATE TABLE IF NOT EXISTS notes (body text PRIMARY KEY)'
            echo "migrated notes"
            """;

    /** Rows in DATABASE_URL, a hit counter in REDIS_URL, through the stack's psql and redis-cli. */
    private static final String APP = """
            import os, re, subprocess, http.server
            DB = os.environ['DATABASE_URL']
            REDIS = os.environ['REDIS_URL']
            def run(*cmd):
                r = subprocess.run(cmd, capture_output=True, text=True)
                return (r.stdout + r.stderr).strip()
            class Handler(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    m = re.fullmatch(r'/write/([a-z]+)', self.path)
                    if m:
                        out = run('psql', DB, '-q', '-v', 'ON_ERROR_STOP=1', '-c',
                                  "INSERT INTO notes VALUES ('%s')" % m.group(1)) or 'written'
                    elif self.path == '/rows':
                        out = run('psql', DB, '-At', '-c', 'SELECT body FROM notes ORDER BY body')
                    elif self.path == '/hit':
                        out = run('redis-cli', '-u', REDIS, '--no-auth-warning', 'INCR', 'hits')
                    else:
                        out = 'addons app'
                    body = (out + '\\n').encode()
                    self.send_response(200)
                    self.send_header('Content-Length', str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
            http.server.ThreadingHTTPServer(('0.0.0.0', int(os.environ['PORT'])), Handler).serve_forever()
            """;
}
