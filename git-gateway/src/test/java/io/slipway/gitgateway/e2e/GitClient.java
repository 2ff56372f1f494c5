package io.slipway.gitgateway.e2e;

import io.slipway.shared.testing.IsolatedGit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The real git CLI as a user with nothing configured runs it ({@link IsolatedGit}). */
public final class GitClient {
    private final Path home;
    private final Map<String, String> env = new HashMap<>();

    public GitClient(Path home, Path caPem) {
        this.home = home;
        env.putAll(IsolatedGit.environment(home, caPem));
    }

    public Path home() {
        return home;
    }

    public GitClient env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** {@code GIT_SSH_COMMAND} for a key, the way a user without a known_hosts entry would connect. */
    public GitClient sshKey(Path privateKey, int port) {
        return env("GIT_SSH_COMMAND", "ssh -i " + privateKey + " -p " + port + " -o StrictHostKeyChecking=no"
                + " -o UserKnownHostsFile=/dev/null -o IdentitiesOnly=yes -o BatchMode=yes -o LogLevel=ERROR");
    }

    public Processes.Result git(Path dir, String... args) {
        return Processes.run(dir, env, IsolatedGit.command(args));
    }

    /** A new working repository with one commit holding {@code files}. */
    public Path newRepo(Map<String, String> files) throws IOException {
        Path dir = Files.createTempDirectory(home, "work");
        git(dir, "init", "-q", "-b", "main").ok();
        for (var e : files.entrySet()) write(dir, e.getKey(), e.getValue());
        git(dir, "add", "-A").ok();
        git(dir, "commit", "-q", "-m", "first").ok();
        return dir;
    }

    public String commit(Path dir, String file, String content, String message) throws IOException {
        write(dir, file, content);
        git(dir, "add", "-A").ok();
        git(dir, "commit", "-q", "-m", message).ok();
        return head(dir);
    }

    public String head(Path dir) {
        return git(dir, "rev-parse", "HEAD").ok().output().trim();
    }

    /** The commit a remote branch points at, or null when the branch does not exist there. */
    public String remoteHead(Path dir, String url, String branch) {
        String out = git(dir, "ls-remote", url, "refs/heads/" + branch).ok().output().trim();
        return out.isEmpty() ? null : out.split("\\s+")[0];
    }

    public static void write(Path dir, String file, String content) throws IOException {
        Path p = dir.resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }
}
