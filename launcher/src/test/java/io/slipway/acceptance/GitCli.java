package io.slipway.acceptance;

import io.slipway.shared.testing.IsolatedGit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code git} client, as a user with nothing configured would run it: an isolated HOME, no system
 * config, no credential helper, no prompts, the platform's CA trusted through {@code GIT_SSL_CAINFO}. Every
 * command has a timeout (the process tree is destroyed when it expires) and its output (stdout and stderr
 * interleaved, as a terminal shows them) is kept for assertion messages.
 */
public final class GitCli {
    private final Path home;
    private final Map<String, String> env = new HashMap<>();

    public record Result(List<String> command, int exitCode, String output) {
        public Result ok() {
            if (exitCode != 0) throw new AssertionError(String.join(" ", command) + " exited " + exitCode + ":\n" + output);
            return this;
        }

        public Result failed() {
            if (exitCode == 0) throw new AssertionError(String.join(" ", command) + " succeeded but should not have:\n" + output);
            return this;
        }
    }

    public GitCli(Path home, Path caPem) {
        this.home = home;
        env.putAll(IsolatedGit.environment(home, caPem));
    }

    private GitCli(GitCli other) {
        this.home = other.home;
        this.env.putAll(other.env);
    }

    public Path home() {
        return home;
    }

    /** The same client, connecting over SSH with {@code privateKey} only, trusting any host key (no known_hosts). */
    public GitCli withSshKey(Path privateKey) {
        GitCli copy = new GitCli(this);
        copy.env.put("GIT_SSH_COMMAND", "ssh -F /dev/null -i " + privateKey + " -o StrictHostKeyChecking=no"
                + " -o UserKnownHostsFile=/dev/null -o IdentitiesOnly=yes -o BatchMode=yes -o LogLevel=ERROR");
        return copy;
    }

    /** {@code git args...} in {@code dir}, killed after {@code timeoutSeconds}. */
    public Result run(Path dir, int timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> command = IsolatedGit.command(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path out = Files.createTempFile(home, "git-out", ".txt");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s:\n"
                        + Files.readString(out));
            }
            return new Result(command, p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    public Result run(Path dir, String... args) throws IOException, InterruptedException {
        return run(dir, 60, args);
    }

    /** A new working repository on {@code main} with one commit holding {@code files}. */
    public Path newRepo(Map<String, String> files) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(home, "work");
        run(dir, "init", "-q", "-b", "main").ok();
        commit(dir, files, "first");
        return dir;
    }

    /** Writes {@code files} (a null content removes the file), commits everything, answers the new head. */
    public String commit(Path dir, Map<String, String> files, String message) throws IOException, InterruptedException {
        for (var e : files.entrySet()) {
            Path file = dir.resolve(e.getKey());
            if (e.getValue() == null) {
                Files.deleteIfExists(file);
            } else {
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue());
            }
        }
        run(dir, "add", "-A").ok();
        run(dir, "commit", "-q", "--allow-empty", "-m", message).ok();
        return head(dir);
    }

    public String head(Path dir) throws IOException, InterruptedException {
        return run(dir, "rev-parse", "HEAD").ok().output().trim();
    }
}
