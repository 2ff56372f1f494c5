package io.slipway.buildworker.container;

import io.slipway.shared.sandbox.SandboxNetwork;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one {@link ContainerSpec} with {@code runc run}, streaming its stdout and stderr line by line. A container
 * that outlives its time, or whose build is cancelled, is killed ({@code runc kill KILL}: killing the container's
 * init ends every process of its pid namespace) and always deleted afterwards ({@code runc delete -f}).
 * Container state lives in this worker's own runc root, so leftovers of a crashed worker can be cleaned up.
 */
public final class RuncRunner {
    private final String runc;
    private final Path stateRoot;
    private final SandboxNetwork network;

    /** How a container ended. {@code exitCode} is meaningless when it timed out or was cancelled. */
    public record Outcome(int exitCode, boolean timedOut, boolean cancelled) {
        public boolean succeeded() {
            return exitCode == 0 && !timedOut && !cancelled;
        }
    }

    /** Containers on the host's network: only for tests that look at containers, never for builds. */
    public RuncRunner(String runc, Path stateRoot) {
        this(runc, stateRoot, null);
    }

    /** Each container in its own network namespace of {@code network}: outbound only. */
    public RuncRunner(String runc, Path stateRoot, SandboxNetwork network) {
        this.runc = runc;
        this.stateRoot = stateRoot.toAbsolutePath();
        this.network = network;
    }

    /**
     * Refuses to go on when builds could not be isolated: runc must exist and the worker must be root (runc needs
     * it here; a rootless config fails on these hosts). Builds never run without a container.
     */
    public static void checkUsable(String runc) {
        int uid;
        try {
            uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot tell which user the build-worker runs as (" + e.getMessage()
                    + "); builds are only run inside runc containers, which need root");
        }
        if (uid != 0) {
            throw new IllegalStateException("the build-worker must run as root: it isolates every build in a runc "
                    + "container and runc needs root here (running as uid " + uid + "); builds are never run "
                    + "without isolation");
        }
        try {
            Process p = new ProcessBuilder(runc, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("'" + runc + " --version' failed; install runc (apt-get install runc)");
            }
        } catch (IOException e) {
            throw new IllegalStateException("runc not found ('" + runc + "'): install it (apt-get install runc) or "
                    + "set SLIPWAY_RUNC; builds are never run without isolation");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking runc");
        }
    }

    public Outcome run(ContainerSpec spec, Path bundle, Duration timeout, Consumer<String> stdout,
                       Consumer<String> stderr, Cancellation cancellation) throws IOException {
        if (cancellation.isCancelled()) return new Outcome(-1, false, true);
        SandboxNetwork.Lease lease = network == null ? null : network.attach(spec.id());
        try {
            OciBundle.write(spec, bundle, lease == null ? null : lease.netnsPath());
            Files.createDirectories(stateRoot);
            return runContainer(spec, bundle.toAbsolutePath(), timeout, stdout, stderr, cancellation);
        } finally {
            if (lease != null) network.release(lease);
        }
    }

    private Outcome runContainer(ContainerSpec spec, Path bundle, Duration timeout, Consumer<String> stdout,
                                 Consumer<String> stderr, Cancellation cancellation) throws IOException {
        Process process = new ProcessBuilder(runc, "--root", stateRoot.toString(), "run", "--bundle",
                bundle.toString(), spec.id())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        Thread out = OutputLines.pump(process.getInputStream(), stdout, spec.id() + "-out");
        Thread err = OutputLines.pump(process.getErrorStream(), stderr, spec.id() + "-err");
        boolean[] killed = {false};
        try (AutoCloseable ignored = cancellation.onCancel(() -> kill(spec.id()))) {
            boolean finished = process.waitFor(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
            if (!finished) {
                killed[0] = true;
                kill(spec.id());
                if (!process.waitFor(15, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            out.join(10_000);
            err.join(10_000);
            int code = process.exitValue();
            return new Outcome(code, killed[0], cancellation.isCancelled());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(spec.id());
            process.destroyForcibly();
            return new Outcome(-1, false, true);
        } catch (Exception e) {
            if (e instanceof IOException io) throw io;
            throw new IOException(e);
        } finally {
            delete(spec.id());
        }
    }

    /** Deletes every container left in this worker's runc root (a worker that died mid-build leaves them). */
    public void cleanupLeftovers() {
        if (!Files.isDirectory(stateRoot)) return;
        try (var ids = Files.list(stateRoot)) {
            for (Path p : ids.toList()) {
                if (Files.isDirectory(p)) delete(p.getFileName().toString());
            }
        } catch (IOException e) {
            // nothing to clean, or nothing we can do about it
        }
    }

    private void kill(String id) {
        quietly(runc, "--root", stateRoot.toString(), "kill", id, "KILL");
    }

    private void delete(String id) {
        quietly(runc, "--root", stateRoot.toString(), "delete", "-f", id);
    }

    private static void quietly(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
        } catch (IOException e) {
            // the container is gone or runc is: either way there is nothing left to stop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For tests and diagnostics: the containers currently in this worker's runc root. */
    public List<String> containers() {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(stateRoot)) return ids;
        try (var list = Files.list(stateRoot)) {
            list.filter(Files::isDirectory).forEach(p -> ids.add(p.getFileName().toString()));
        } catch (IOException e) {
            // none
        }
        return ids;
    }
}
