package io.slipway.acceptance;

import static io.slipway.acceptance.TestHost.assumeRuncAndNode;
import static io.slipway.shared.net.LocalPorts.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.launcher.LauncherConfig;
import io.slipway.launcher.Platform;
import io.slipway.shared.testing.ScratchDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The stock heroku CLI against the runtime: {@code ps}, {@code ps:scale}, {@code ps:restart}, {@code logs}
 * (with and without {@code --tail}), {@code run} (exit codes, stdin, detached), {@code rollback}, and what a
 * dyno can see of its host (its own user, processes and files only).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RuntimeCliAcceptanceTest {
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();

    private static final Duration DEPLOY = Duration.ofSeconds(120);
    private Platform platform;
    private HerokuCli cli;
    private RouterClient router;
    private Path repo;
    private final String app = "run-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    void start() throws Exception {
        assumeRuncAndNode();
        Path dataDir = scratch.create("slipway-runtime-cli").resolve("data");
        platform = Platform.start(new LauncherConfig(dataDir, freePort(), "admin@example.com", 0));
        cli = HerokuCli.asAdminOf(platform);
        router = new RouterClient(platform.routerPort());
        repo = scratch.create("runtime-cli-repo");
        for (var f : RuntimeApps.node("cli-one").entrySet()) Files.writeString(repo.resolve(f.getKey()), f.getValue());
        git("init", "-q", "-b", "main", ".");
        git("add", "-A");
        git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "first");
        cli.run(repo, null, 120, "apps:create", app).ok();
        HerokuCli.Result push = cli.git(repo, "push", "heroku", "main");
        assertEquals(0, push.exitCode(), push.output());
        router.awaitBody(app, "cli-one web.1", DEPLOY);
    }

    @AfterAll
    void stop() {
        if (platform != null) platform.close();
    }

    @Test
    @Order(10)
    void psShowsTheRunningWebDyno() throws Exception {
        HerokuCli.Result ps = awaitCli(r -> r.stdout().contains("web.1: up"), "ps", "-a", app);
        assertTrue(ps.stdout().contains("=== web (Basic): node server.js (1)"), ps.output());
    }

    @Test
    @Order(20)
    void scaleUpAndDownAndRestart() throws Exception {
        assertTrue(cli.run("ps:scale", "web=2", "-a", app).ok().output().contains("now running web at 2:Basic"));
        awaitCli(r -> r.stdout().contains("web.1: up") && r.stdout().contains("web.2: up"), "ps", "-a", app);
        router.awaitBody(app, "web.2", DEPLOY);
        cli.run("ps:restart", "web.2", "-a", app).ok();
        cli.run("ps:restart", "-a", app).ok();
        awaitCli(r -> r.stdout().contains("web.1: up") && r.stdout().contains("web.2: up"), "ps", "-a", app);
        assertTrue(cli.run("ps:scale", "web=1", "-a", app).ok().output().contains("now running web at 1:Basic"));
        awaitCli(r -> r.stdout().contains("web.1: up") && !r.stdout().contains("web.2"), "ps", "-a", app);
    }

    @Test
    @Order(30)
    void logsShowTheDynoRouterAndPlatformLines() throws Exception {
        router.get(app, "/from-the-test");
        HerokuCli.Result logs = awaitCli(r -> r.stdout().contains("path=\"/from-the-test\""), "logs", "-n", "200", "-a", app);
        String out = logs.stdout();
        assertTrue(out.contains("app[web.1]: listening on"), out);
        assertTrue(out.contains("heroku[web.1]: State changed from starting to up"), out);
        assertTrue(out.contains("heroku[router]: at=info method=GET path=\"/from-the-test\""), out);
        assertTrue(out.matches("(?s).*app\\[api]: Release v\\d+ created by .*"), out);
        HerokuCli.Result onlyRouter = cli.run("logs", "-n", "50", "-s", "heroku", "-d", "router", "-a", app).ok();
        assertTrue(onlyRouter.stdout().lines().allMatch(l -> l.contains("heroku[router]")), onlyRouter.stdout());
    }

    @Test
    @Order(40)
    void logsTailFollowsNewLines() throws Exception {
        Path out = Files.createTempFile("tail", ".txt");
        ProcessBuilder pb = cli.processBuilder("logs", "--tail", "-a", app);
        pb.redirectOutput(out.toFile()).redirectErrorStream(true);
        Process tail = pb.start();
        try {
            // the session is open once the CLI prints the app's recent lines (earlier tests' requests left some)
            long connected = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (Files.size(out) == 0 && tail.isAlive() && System.nanoTime() < connected) Thread.sleep(100);
            assertTrue(Files.size(out) > 0, "no recent lines from heroku logs --tail");
            router.get(app, "/while-tailing");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!Files.readString(out).contains("/while-tailing") && System.nanoTime() < deadline) Thread.sleep(250);
            assertTrue(Files.readString(out).contains("path=\"/while-tailing\""), Files.readString(out));
            assertTrue(tail.isAlive(), "--tail keeps streaming");
        } finally {
            tail.descendants().forEach(ProcessHandle::destroyForcibly);
            tail.destroyForcibly();
            tail.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(out);
        }
    }

    @Test
    @Order(50)
    void runAttachesWithExitCodesAndStdin() throws Exception {
        HerokuCli.Result echo = cli.run(null, null, 120, "run", "-x", "-a", app, "--", "echo", "hello-from-run").ok();
        assertTrue(echo.stdout().lines().anyMatch("hello-from-run"::equals), echo.output());
        HerokuCli.Result exit3 = cli.run(null, "", 120, "run", "-x", "-a", app, "--", "sh", "-c", "exit 3");
        assertEquals(3, exit3.exitCode(), exit3.output());
        HerokuCli.Result stdin = cli.run(null, "piped-line\n", 120, "run", "--no-tty", "-x", "-a", app, "--", "read l; echo in:$l").ok();
        assertTrue(stdin.stdout().lines().anyMatch("in:piped-line"::equals), stdin.output());
    }

    @Test
    @Order(60)
    void aDynoIsNonRootAndSeesOnlyItself() throws Exception {
        HerokuCli.Result id = cli.run(null, "", 120, "run", "--no-tty", "-x", "-a", app, "--", "id -u; echo home=$HOME; ls /app").ok();
        // not root: the app's own uid (each app has its own, from the agent's range; docs/security.md)
        assertTrue(id.stdout().lines().anyMatch(l -> l.matches("\\d+") && Integer.parseInt(l) >= 1000), id.output());
        assertTrue(id.stdout().contains("home=/app"), id.output());
        assertTrue(id.stdout().contains("server.js"), id.output());
        // the web dyno runs next to it, but its processes are not visible from here
        HerokuCli.Result ps = cli.run(null, "", 120, "run", "--no-tty", "-x", "-a", app, "--", "ls /proc | grep -c '^[0-9]'").ok();
        int processes = Integer.parseInt(ps.stdout().lines().filter(l -> l.matches("\\d+")).findFirst().orElse("999"));
        assertTrue(processes < 10, "a one-off dyno sees only its own few processes: " + ps.output());
        HerokuCli.Result write = cli.run(null, "", 120, "run", "--no-tty", "-x", "-a", app, "--", "touch /usr/x");
        assertTrue(write.exitCode() != 0, "the stack is read-only: " + write.output());
    }

    @Test
    @Order(70)
    void runDetachedWritesToTheLog() throws Exception {
        String token = "detached-" + UUID.randomUUID().toString().substring(0, 8);
        HerokuCli.Result r = cli.run("run:detached", "-a", app, "--", "echo", token).ok();
        assertTrue(r.output().contains("Run heroku logs --app " + app + " --dyno run."), r.output());
        String dyno = r.output().replaceAll("(?s).*--dyno (run\\.\\d+).*", "$1");
        HerokuCli.Result logs = awaitCli(l -> l.stdout().contains(token), "logs", "-d", dyno, "-a", app);
        assertTrue(logs.stdout().contains("app[" + dyno + "]: " + token), logs.output());
    }

    @Test
    @Order(80)
    void rollbackServesThePreviousCode() throws Exception {
        Files.writeString(repo.resolve("server.js"), RuntimeApps.node("cli-two").get("server.js"));
        git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-am", "second");
        HerokuCli.Result push = cli.git(repo, "push", "heroku", "main");
        assertEquals(0, push.exitCode(), push.output());
        router.awaitBody(app, "cli-two", DEPLOY);
        HerokuCli.Result rollback = cli.run("rollback", "-a", app).ok();
        assertTrue(rollback.output().contains("done, v"), rollback.output());
        router.awaitBody(app, "cli-one", DEPLOY);
    }

    /** Runs a CLI command until its result satisfies {@code ok} (the runtime converges asynchronously). */
    private HerokuCli.Result awaitCli(Predicate<HerokuCli.Result> ok, String... args) throws Exception {
        long deadline = System.nanoTime() + DEPLOY.toNanos();
        HerokuCli.Result r = cli.run(args);
        while (!(r.exitCode() == 0 && ok.test(r)) && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            r = cli.run(args);
        }
        assertTrue(r.exitCode() == 0 && ok.test(r), "heroku " + String.join(" ", args) + ": " + r.output());
        return r;
    }

    private String git(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "git " + String.join(" ", args) + ": " + out);
        return out;
    }
}
