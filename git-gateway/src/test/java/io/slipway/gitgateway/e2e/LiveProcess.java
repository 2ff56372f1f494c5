package io.slipway.gitgateway.e2e;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A git command whose output is watched while it runs (to see build output arrive before the build ends). */
final class LiveProcess {
    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;

    private LiveProcess(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                int c;
                while ((c = r.read()) >= 0) output.append((char) c);
            } catch (Exception ignored) {
                // process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    static LiveProcess start(Path dir, GitClient git, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "credential.helper="));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("HOME", git.home().toString());
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        pb.environment().put("GIT_SSL_CAINFO", Platform.get().tls.caPem().toString());
        Process p = pb.start();
        p.getOutputStream().close();
        return new LiveProcess(p);
    }

    boolean awaitLine(String text, int seconds) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < until) {
            if (output.indexOf(text) >= 0) return true;
            Thread.sleep(50);
        }
        return false;
    }

    String output() {
        return output.toString();
    }

    Processes.Result finish() throws InterruptedException {
        if (!process.waitFor(120, TimeUnit.SECONDS)) process.destroyForcibly();
        reader.join(10_000);
        return new Processes.Result(process.exitValue(), output.toString());
    }
}
