package io.slipway.gitgateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A git-gateway process killed with SIGKILL in the middle of a push (pack received, build running, push lock held):
 * the app's repository in the object store still has its previous refs and objects, and the next push (to a new
 * gateway) works once the dead gateway's push lock has lapsed. Real git, a real api-server with PostgreSQL and
 * s3proxy, the gateway as its own OS process.
 */
class GatewayKilledMidPushTest {
    private final Platform platform = Platform.get();
    @TempDir
    Path home;

    private String url(Platform.User user, String app) {
        return "https://heroku:" + user.apiKey() + "@127.0.0.1:" + platform.apiPort + "/" + app + ".git";
    }

    private Process startDoomedGateway(Path workDir) throws Exception {
        var config = platform.gatewayConfig(workDir, platform.gitHttpPort, platform.sshPort);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DoomedGatewayMain.class.getName(),
                config.apiUrl().toString(), config.internalApiUrl().toString(), Platform.INTERNAL_TOKEN,
                String.valueOf(platform.gitHttpPort), String.valueOf(platform.sshPort), platform.hostKey.toString(),
                workDir.toString(), platform.tls.caPem().toString(), "e2e-node", String.valueOf(Platform.MAX_PACK_BYTES)));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static boolean awaitLine(Process p, String line, int seconds) throws Exception {
        CompletableFuture<Boolean> seen = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    if (l.contains(line)) seen.complete(true);
                }
            } catch (Exception ignored) {
                // killed
            }
            seen.complete(false);
        });
        reader.setDaemon(true);
        reader.start();
        return seen.get(seconds, TimeUnit.SECONDS);
    }

    @Test
    void aGatewayKilledMidPushLeavesTheRepositoryIntactAndTheNextPushWorks() throws Exception {
        GitClient git = new GitClient(home, platform.tls.caPem());
        Platform.User alice = platform.newUser();
        String app = platform.createApp(alice);
        Path dir = git.newRepo(Map.of("README.md", "v1\n"));
        String first = git.head(dir);
        assertThat(git.git(dir, "push", url(alice, app), "main").exitCode()).isZero();

        String second = git.commit(dir, "index.js", "console.log('v2')\n", "second");
        platform.stopGateway();
        Process doomed = startDoomedGateway(home.resolve("doomed-" + UUID.randomUUID()));
        try {
            assertThat(awaitLine(doomed, "READY", 60)).as("the separate gateway started").isTrue();
            LiveProcess push = LiveProcess.start(dir, git, "push", url(alice, app), "main");
            assertThat(push.awaitLine("about to die", 60)).as("the push is mid-build: " + push.output()).isTrue();
            doomed.destroyForcibly(); // SIGKILL
            assertThat(doomed.waitFor(30, TimeUnit.SECONDS)).isTrue();
            Processes.Result failed = push.finish();
            assertThat(failed.exitCode()).as(failed.output()).isNotZero();
        } finally {
            if (doomed.isAlive()) doomed.destroyForcibly();
            platform.startGateway(platform.root.resolve("work-" + UUID.randomUUID()));
        }

        // the stored repository: the old ref, and every object of it (a fresh clone checks out and fsck passes)
        assertThat(git.remoteHead(dir, url(alice, app), "main")).isEqualTo(first);
        Path clone = home.resolve("clone");
        git.git(home, "clone", "-q", url(alice, app), clone.toString()).ok();
        assertThat(git.head(clone)).isEqualTo(first);
        git.git(clone, "fsck", "--full", "--strict").ok();
        assertThat(Files.readString(clone.resolve("README.md"))).isEqualTo("v1\n");

        // the next push works: at once, or as soon as the dead gateway's push lock has lapsed (60 s)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        Processes.Result again;
        do {
            again = git.git(dir, "push", url(alice, app), "main");
            if (again.exitCode() == 0 || !again.output().contains("Another push")) break;
            Thread.sleep(2_000);
        } while (System.nanoTime() < deadline);
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(git.remoteHead(dir, url(alice, app), "main")).isEqualTo(second);
    }
}
