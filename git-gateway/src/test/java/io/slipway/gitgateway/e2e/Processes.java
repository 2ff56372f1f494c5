package io.slipway.gitgateway.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs real programs (git, ssh-keygen, keytool) and captures what they print. */
public final class Processes {
    private Processes() {}

    public record Result(int exitCode, String output) {
        public Result ok() {
            if (exitCode != 0) throw new AssertionError("exit " + exitCode + ":\n" + output);
            return this;
        }
    }

    public static Result run(Path dir, Map<String, String> env, List<String> command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            if (dir != null) pb.directory(dir.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "<output lost: " + e + ">";
                }
            });
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command + "\n" + out.getNow(""));
            }
            return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new IllegalStateException("could not run " + command, e);
        }
    }

    public static Result run(Path dir, List<String> command) {
        return run(dir, Map.of(), command);
    }
}
