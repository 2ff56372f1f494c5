package io.slipway.dynoagent.lifecycle;

import static io.slipway.dynoagent.support.StubApiServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.slipway.dynoagent.config.AgentConfig;
import io.slipway.dynoagent.slugs.SlugCache;
import io.slipway.shared.testing.ScratchDirs;
import io.slipway.dynoagent.support.Slugs;
import io.slipway.dynoagent.support.StubApiServer;
import io.slipway.dynoagent.support.TestAgents;
import io.slipway.shared.agents.AgentsClient;
import io.slipway.shared.agents.Assignment;
import io.slipway.shared.internalapi.InternalTransport;
import io.slipway.shared.logs.LogShipper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slugs as a tenant can upload them through the Slugs API (any tarball): {@code app} made a symlink through a
 * chain of links that each look harmless as text but resolve, on disk, to the host's {@code /}. The dyno must
 * never start with a host path as its {@code /app} (the real runc driver when available): the dyno crashes with
 * the slug refused, and the file the dyno would write through {@code /app} is never created on the host.
 */
class HostileSlugTest {
    // not @TempDir: JUnit deletes through a mount a failed close left (a slug, a volume) and fails the test
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();
    final Path tmp = scratch.create("slipway-hostile-slug");
    StubApiServer api;
    AgentConfig config;
    DynoContext ctx;
    LogShipper logs;
    final List<DynoSupervisor> supervisors = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        api = new StubApiServer();
        config = TestAgents.config(api, tmp.resolve("data"));
        HttpClient http = HttpClient.newHttpClient();
        logs = new LogShipper(config.apiUrl(), config.internalToken(), http);
        ctx = new DynoContext(config, TestAgents.driver(config), new SlugCache(config.dataDir().resolve("slugs"), http),
                new PortAllocator(config.portFrom(), config.portTo()),
                new AgentsClient(new InternalTransport(config.apiUrl(), config.internalToken(), http), config.agentId()), logs,
                SSLContext.getDefault());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (DynoSupervisor s : supervisors) {
            s.shutdown();
            s.awaitFinished(Duration.ofSeconds(60));
        }
        logs.close();
        api.close();
    }

    /** {@code l0 -> .}, {@code l1 -> l0/..}, ... each inside the slug as text; on disk l40 is {@code /}. */
    private Path chainSlug(String... more) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src-" + System.nanoTime()));
        List<String> names = new ArrayList<>();
        Files.createSymbolicLink(src.resolve("l0"), Path.of("."));
        names.add("l0");
        for (int i = 1; i <= 40; i++) {
            Files.createSymbolicLink(src.resolve("l" + i), Path.of("l" + (i - 1) + "/.."));
            names.add("l" + i);
        }
        Files.createSymbolicLink(src.resolve("app"), Path.of("l40"));
        names.add("app");
        names.addAll(List.of(more));
        Path tgz = tmp.resolve("evil-" + System.nanoTime() + ".tgz");
        List<String> cmd = new ArrayList<>(List.of("tar", "-czf", tgz.toString(), "-C", src.toString()));
        cmd.addAll(names);
        Process tar = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(tar.getInputStream().readAllBytes());
        if (!tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0) throw new IOException("tar failed: " + out);
        return tgz;
    }

    private void assertNeverRuns(Path slug, Path canary) throws Exception {
        String url = api.serve("evil-" + System.nanoTime() + ".tgz", slug);
        Map<String, Object> a = TestAgents.assignment("web.1", "touch /app" + canary + "; echo dyno-ran; sleep 300",
                url, Slugs.checksum(slug));
        String id = (String) a.get("dyno_id");
        DynoSupervisor s = new DynoSupervisor(Assignment.parse(a), ctx, x -> { });
        supervisors.add(s);
        s.start();
        await("crashed", v -> api.states(id).contains("crashed"));
        assertFalse(api.states(id).contains("up"));
        assertFalse(api.messages("app", "web.1").contains("dyno-ran"), api.messages("app", "web.1").toString());
        assertFalse(Files.exists(canary, LinkOption.NOFOLLOW_LINKS), "the dyno wrote to the host through /app");
    }

    @Test
    void aSlugWhoseAppIsAChainOfLinksToTheHostRootNeverRuns() throws Exception {
        Path canary = tmp.resolve("canary-" + System.nanoTime());
        assertNeverRuns(chainSlug(), canary);
        await("the refusal in the app's log",
                v -> api.messages("heroku", "web.1").stream().anyMatch(m -> m.contains("symbolic link")));
    }

    @Test
    void aSlugWritingThroughItsOwnLinksIsRefused() throws Exception {
        // GNU tar stores app/<canary> read through the link chain; extracting it would write on the host
        Path canary = Files.createDirectories(tmp.resolve("target-" + System.nanoTime())).resolve("pwned");
        Path src = Files.createDirectories(tmp.resolve("through"));
        Path slug = tmp.resolve("through.tgz");
        Files.createSymbolicLink(src.resolve("out"), canary.getParent());
        Files.writeString(canary.getParent().resolve("seed"), "host file\n");
        Process tar = new ProcessBuilder("tar", "-czf", slug.toString(), "-C", src.toString(), "out", "out/seed")
                .redirectErrorStream(true).start();
        tar.getInputStream().readAllBytes();
        assertEquals(0, tar.waitFor());
        Files.delete(canary.getParent().resolve("seed"));
        assertNeverRuns(slug, canary);
        assertFalse(Files.exists(canary.getParent().resolve("seed")), "the extractor wrote through a link");
    }
}
