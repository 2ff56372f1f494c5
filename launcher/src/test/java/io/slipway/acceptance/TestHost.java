package io.slipway.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the acceptance tests ask of the machine they run on: tools on PATH, a local git repository. */
final class TestHost {
    private TestHost() {}

    static boolean onPath(String command) {
        for (String dir : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) return true;
        }
        return false;
    }

    /** Skips the test class unless builds and dynos can run here: root, runc and the stack's (this host's) Node.js. */
    static void assumeRuncAndNode() {
        assumeTrue("root".equals(System.getProperty("user.name")), "builds and dynos run in runc containers, which need root");
        assumeTrue(onPath("runc") && onPath("node"), "needs runc and the stack's (this host's) Node.js");
    }

    /** Writes each file (name → content) under {@code dir}. */
    static void write(Path dir, Map<String, String> files) throws IOException {
        for (var f : files.entrySet()) Files.writeString(dir.resolve(f.getKey()), f.getValue());
    }

    /** Commits everything in {@code dir} as a throwaway author. */
    static void commit(Path dir, String message) throws Exception {
        git(dir, "add", "-A");
        git(dir, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", message);
    }

    /** {@code git args...} in {@code dir}, which must succeed. */
    static void git(Path dir, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }

    /** A new passphrase-less ed25519 key pair made by ssh-keygen at {@code key} ({@code .pub} beside it). */
    static void sshKeygen(Path key, String comment) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment,
                "-f", key.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, new String(p.getInputStream().readAllBytes()));
    }
}
