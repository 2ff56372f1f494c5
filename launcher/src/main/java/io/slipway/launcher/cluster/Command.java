package io.slipway.launcher.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one host tool ({@code ip}, {@code nft}, {@code initdb}, {@code runc}...) to its end; a failure throws. */
final class Command {
    private Command() {}

    static String run(String... command) {
        return run(List.of(command), null, Map.of());
    }

    static String run(List<String> command, String stdin, Map<String, String> env) {
        try {
            ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
            b.environment().putAll(env);
            Process p = b.start();
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            p.getInputStream().transferTo(out);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish");
            }
            String text = out.toString(StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + text.trim());
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    /** Runs and ignores a failure: for removing what may already be gone. */
    static void quietly(String... command) {
        try {
            run(command);
        } catch (IllegalStateException e) {
            // already gone
        }
    }
}
