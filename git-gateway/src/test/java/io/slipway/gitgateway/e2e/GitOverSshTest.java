package io.slipway.gitgateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.gitgateway.GitGateway;
import io.slipway.shared.net.LocalPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** git over SSH with keys registered through {@code POST /account/keys}, as {@code heroku keys:add} does. */
class GitOverSshTest {
    private final Platform platform = Platform.get();
    @TempDir
    Path home;
    private GitClient git;

    @BeforeEach
    void setUp() {
        git = new GitClient(home, platform.tls.caPem());
    }

    private Path keygen(String name) {
        Path key = home.resolve(name);
        Processes.run(null, List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.toString())).ok();
        return key;
    }

    private Path registeredKey(Platform.User user) throws Exception {
        Path key = keygen("id_" + UUID.randomUUID().toString().substring(0, 6));
        String pub = Files.readString(Path.of(key + ".pub")).trim();
        platform.call(user, "POST", "/account/keys", "{\"public_key\":\"" + pub + "\"}", 201);
        return key;
    }

    private String scpUrl(String app) {
        return "git@127.0.0.1:" + app + ".git";
    }

    private String sshUrl(String app) {
        return "ssh://git@127.0.0.1:" + platform.sshPort + "/" + app + ".git";
    }

    @Test
    void bothSshUrlFormsPushBuildAndClone() throws Exception {
        Platform.User alice = platform.newUser();
        String app = platform.createApp(alice);
        Path key = registeredKey(alice);
        git.sshKey(key, platform.sshPort);
        Path dir = git.newRepo(Map.of("requirements.txt", "flask\n", "app.py", "print('hi')\n"));

        Processes.Result scp = git.git(dir, "push", scpUrl(app), "main");
        assertThat(scp.exitCode()).as(scp.output()).isZero();
        assertThat(scp.output()).contains("remote: -----> Building on the heroku-24 stack", "remote: -----> Launching...",
                "remote:        Released v2", "deployed to Slipway", "main -> main");
        assertThat(platform.builds.received(app)).singleElement()
                .satisfies(r -> assertThat(r.accountEmail()).isEqualTo(alice.email()));

        String second = git.commit(dir, "app.py", "print('hello')\n", "second");
        // ssh://...:port/... names the port itself; GIT_SSH_COMMAND's -p is overridden by it
        git.env("GIT_SSH_COMMAND", "ssh -i " + key + " -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"
                + " -o IdentitiesOnly=yes -o BatchMode=yes -o LogLevel=ERROR");
        Processes.Result ssh = git.git(dir, "push", sshUrl(app), "main");
        assertThat(ssh.exitCode()).as(ssh.output()).isZero();
        assertThat(ssh.output()).contains("remote:        Released v3");

        Path clone = home.resolve("clone");
        Processes.Result cloned = git.git(home, "clone", sshUrl(app), clone.toString());
        assertThat(cloned.exitCode()).as(cloned.output()).isZero();
        assertThat(git.head(clone)).isEqualTo(second);
        // protocol v2 fetch (GIT_PROTOCOL arrives through the SSH env request)
        Processes.Result v2 = git.git(clone, "-c", "protocol.version=2", "ls-remote", "origin");
        assertThat(v2.exitCode()).as(v2.output()).isZero();
        assertThat(v2.output()).contains(second + "\trefs/heads/main");
    }

    @Test
    void anUnknownKeyIsRefused() throws Exception {
        Platform.User alice = platform.newUser();
        String app = platform.createApp(alice);
        git.sshKey(keygen("stranger"), platform.sshPort);
        Path dir = git.newRepo(Map.of("a", "b"));
        Processes.Result push = git.git(dir, "push", scpUrl(app), "main");
        assertThat(push.exitCode()).isNotZero();
        assertThat(push.output()).contains("Permission denied (publickey)");
    }

    @Test
    void anotherUsersAppIsRefusedAsIfItDidNotExist() throws Exception {
        Platform.User alice = platform.newUser();
        Platform.User mallory = platform.newUser();
        String app = platform.createApp(alice);
        git.sshKey(registeredKey(mallory), platform.sshPort);
        Path dir = git.newRepo(Map.of("a", "b"));

        Processes.Result push = git.git(dir, "push", scpUrl(app), "main");
        assertThat(push.exitCode()).isNotZero();
        assertThat(push.output()).contains("fatal: remote error: Couldn't find that app.");
        Processes.Result clone = git.git(home, "clone", scpUrl(app), home.resolve("c").toString());
        assertThat(clone.output()).contains("fatal: remote error: Couldn't find that app.");
        assertThat(platform.builds.received(app)).isEmpty();
    }

    @Test
    void commandsOtherThanGitForAnAppAreRefused() throws Exception {
        Platform.User alice = platform.newUser();
        Path key = registeredKey(alice);
        for (String command : List.of("ls /", "git-receive-pack '../etc.git'", "git-upload-pack 'a;b.git'", "sh")) {
            Processes.Result r = Processes.run(home, List.of("ssh", "-i", key.toString(), "-p", String.valueOf(platform.sshPort),
                    "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes",
                    "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "git@127.0.0.1", command));
            assertThat(r.exitCode()).as(command).isNotZero();
            assertThat(r.output()).as(command).contains("Slipway serves only git push and fetch");
        }
    }

    @Test
    void theHostKeyStaysTheSameAcrossRestartsAndNodes() throws Exception {
        String before = hostKey(platform.sshPort);
        assertThat(before).contains("ssh-ed25519 ");
        // under the platform's root, not this test's directory: the gateway outlives the test and would write to it
        platform.restartGateway(platform.root.resolve("work-after-restart"));
        assertThat(hostKey(platform.sshPort)).isEqualTo(before);

        // a second gateway node given the same key file presents the same key
        int otherSsh = LocalPorts.freePort();
        int otherHttp = LocalPorts.freePort();
        try (GitGateway other = new GitGateway(platform.gatewayConfig(home.resolve("other-node"), otherHttp, otherSsh),
                api -> platform.builds)) {
            other.start();
            assertThat(hostKey(otherSsh)).isEqualTo(before);
        }
    }

    @Test
    void aRepositorySurvivesAGatewayRestartWithAnEmptyWorkDirectory() throws Exception {
        Platform.User alice = platform.newUser();
        String app = platform.createApp(alice);
        Path key = registeredKey(alice);
        git.sshKey(key, platform.sshPort);
        Path dir = git.newRepo(Map.of("Gemfile", "source 'https://rubygems.org'\n"));
        git.git(dir, "push", scpUrl(app), "main").ok();
        String first = git.head(dir);

        Path fresh = platform.root.resolve("fresh-work-dir"); // outlives the test, as above
        platform.restartGateway(fresh);
        assertThat(fresh.resolve("repos")).isEmptyDirectory();

        Path clone = home.resolve("clone");
        git.git(home, "clone", "-q", scpUrl(app), clone.toString()).ok();
        assertThat(git.head(clone)).isEqualTo(first);
        // the restored repository takes a fast-forward push: its refs are the ones stored before the restart
        String next = git.commit(dir, "Gemfile", "source 'https://rubygems.org'\ngem 'rack'\n", "rack");
        Processes.Result push = git.git(dir, "push", scpUrl(app), "main");
        assertThat(push.exitCode()).as(push.output()).isZero();
        assertThat(push.output()).doesNotContain("forced update");
        assertThat(git.remoteHead(dir, scpUrl(app), "main")).isEqualTo(next);
        assertThat(fresh.resolve("repos")).isEmptyDirectory();
    }

    /** The host key as ssh-keyscan sees it (type and base64). */
    private static String hostKey(int port) {
        String out = Processes.run(null, List.of("ssh-keyscan", "-t", "ed25519", "-p", String.valueOf(port), "127.0.0.1")).output();
        return out.lines().filter(l -> l.contains("ssh-ed25519")).map(l -> l.substring(l.indexOf("ssh-ed25519")))
                .findFirst().orElseThrow(() -> new AssertionError("no host key from ssh-keyscan:\n" + out));
    }
}
