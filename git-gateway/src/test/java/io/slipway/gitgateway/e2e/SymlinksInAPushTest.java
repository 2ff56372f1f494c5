package io.slipway.gitgateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.shared.archive.ExtractionPolicy;
import io.slipway.shared.archive.SafeUntar;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pushed tree with symlinks, legitimate ones (inside the repository) and hostile ones (to {@code /etc/passwd},
 * to {@code /}, to {@code ..}, a chain of links that each look harmless): the push builds, the source archive
 * carries every link as a link (as Heroku keeps them), and unpacking it the way the build-worker does (as root)
 * keeps them as links and writes nothing outside its directory. A second push restores the repository from
 * object storage through the same archive code, so it is checked too.
 */
class SymlinksInAPushTest {
    private final Platform platform = Platform.get();
    @TempDir Path home;

    @Test
    void linksAreCarriedAsLinksAndNeverFollowed() throws Exception {
        GitClient git = new GitClient(home, platform.tls.caPem());
        Platform.User user = platform.newUser();
        String app = platform.createApp(user);
        String url = "https://heroku:" + user.apiKey() + "@127.0.0.1:" + platform.apiPort + "/" + app + ".git";
        Path dir = git.newRepo(Map.of("src/index.js", "// app\n", "Procfile", "web: node src/index.js\n"));
        Map<String, String> links = Map.of("lib", "src", "passwd", "/etc/passwd", "root", "/", "up", "..",
                "a", ".", "b", "a/..", "c", "b/..", "src/escape", "../../../../../../../etc/shadow");
        for (var link : links.entrySet()) Files.createSymbolicLink(dir.resolve(link.getKey()), Path.of(link.getValue()));
        git.git(dir, "add", "-A").ok();
        git.git(dir, "commit", "-q", "-m", "links").ok();

        Processes.Result push = git.git(dir, "push", url, "main");
        assertThat(push.exitCode()).as(push.output()).isZero();
        List<ScriptedBuilds.Received> builds = platform.builds.received(app);
        assertThat(builds).hasSize(1);

        Path sandbox = Files.createDirectories(home.resolve("sandbox"));
        Path canary = Files.createDirectories(sandbox.resolve("canary"));
        Path target = sandbox.resolve("build");
        SafeUntar.extract(builds.get(0).archive(), target, ExtractionPolicy.limitedTo(1 << 20));
        for (var link : links.entrySet()) {
            Path p = target.resolve(link.getKey());
            assertThat(Files.isSymbolicLink(p)).as(link.getKey()).isTrue();
            assertThat(Files.readSymbolicLink(p)).isEqualTo(Path.of(link.getValue()));
        }
        assertThat(Files.readString(target.resolve("src/index.js"))).isEqualTo("// app\n");
        try (Stream<Path> s = Files.list(canary)) {
            assertThat(s.toList()).isEmpty();
        }
        assertThat(Files.exists(sandbox.resolve("index.js"), LinkOption.NOFOLLOW_LINKS)).isFalse();

        // a second push: the gateway restores the repository it stored (through the shared archive code)
        git.commit(dir, "README", "again\n", "second");
        Processes.Result second = git.git(dir, "push", url, "main");
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(platform.builds.received(app)).hasSize(2);
    }
}
