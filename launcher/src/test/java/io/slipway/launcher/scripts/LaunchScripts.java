package io.slipway.launcher.scripts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a line of bash with deploy/bin's launch scripts sourced, as slipway-component does. */
final class LaunchScripts {
    static final Path BIN = locate();

    private LaunchScripts() {
    }

    record Result(int exit, String stdout) {
    }

    /** Sources slipway-java.sh and slipway-cds.sh, then runs SCRIPT with ENV added; stderr goes to a file. */
    static Result bash(String script, Map<String, String> env, Path work) throws IOException, InterruptedException {
        String full = ". '" + BIN.resolve("slipway-java.sh") + "'; . '" + BIN.resolve("slipway-cds.sh") + "'; " + script;
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", "-c", full))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectError(work.resolve("bash.err").toFile());
        pb.environment().keySet().removeIf(k -> k.equals("JAVA") || k.startsWith("SLIPWAY_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("bash did not finish: " + script);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).trim());
    }

    private static Path locate() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("deploy/bin/slipway-cds.sh"))) return p.resolve("deploy/bin");
        }
        throw new IllegalStateException("deploy/bin not found above " + Path.of("").toAbsolutePath());
    }
}
