package io.slipway.dynoagent.drivers;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Runs dynos as plain child processes of the agent: for development machines without root or runc. There is NO
 * isolation: dynos run as the agent's user, see the whole file system and each other, and have no memory or
 * process limits. {@code /app} is the dyno's own directory ({@code HOME} points there and the process starts in
 * it), so apps that hard-code {@code /app} do not work under this driver.
 */
public final class ProcessDynoDriver implements DynoDriver {
    private static final Logger LOG = Logger.getLogger(ProcessDynoDriver.class.getName());
    /** The dynos this driver started, by id: a child process has no other record. */
    private final Map<String, Process> processes = new ConcurrentHashMap<>();

    public ProcessDynoDriver() {
        LOG.warning("WARNING: the process dyno driver runs app code WITHOUT ANY ISOLATION (no container, no memory "
                + "limit, same user as the agent). Use it only on a development machine; production hosts need "
                + "root and runc (SLIPWAY_AGENT_DRIVER=runc).");
    }

    @Override
    public String name() {
        return "process";
    }

    @Override
    public String appPathInside(DynoSpec spec) {
        return spec.appDir().toAbsolutePath().toString();
    }

    @Override
    public RunningDyno start(DynoSpec spec) throws IOException {
        if (spec.image() != null) throw new IOException(imageProblem());
        String home = appPathInside(spec);
        ProcessBuilder builder = new ProcessBuilder(LaunchScript.args(spec.command(), spec.tty(), false))
                .directory(spec.appDir().toFile())
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(LaunchScript.env(spec, home));
        Process process = builder.start();
        processes.put(spec.id(), process);
        Thread pump = OutputPump.start(process.getInputStream(), spec.lines(), spec.raw(), spec.id() + "-out");
        return new Running(process, pump);
    }

    @Override
    public void cleanupLeftovers() {
        // child processes die with the agent's session or are orphaned; there is no record of them to clean
    }

    @Override
    public boolean dynosOutliveTheAgent() {
        return false; // orphans may run on, but nothing records them: they cannot be found again
    }

    @Override
    public List<String> runningDynoIds() {
        processes.values().removeIf(p -> !p.isAlive());
        return List.copyOf(processes.keySet());
    }

    private static final class Running implements RunningDyno {
        private final Process process;
        private final Thread pump;

        Running(Process process, Thread pump) {
            this.process = process;
            this.pump = pump;
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public OutputStream stdin() {
            return process.getOutputStream();
        }

        @Override
        public Integer waitFor(Duration timeout) throws InterruptedException {
            if (!process.waitFor(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS)) return null;
            // a background child still holding the output pipe must not hold up the exit forever
            pump.join(2_000);
            return process.exitValue();
        }

        @Override
        public void signal(Signal signal) {
            // children first: a compound command keeps bash as the parent, which would not pass the signal on
            List<ProcessHandle> all = process.descendants().toList();
            for (ProcessHandle child : all) send(child, signal);
            send(process.toHandle(), signal);
        }

        private static void send(ProcessHandle handle, Signal signal) {
            if (signal == Signal.KILL) handle.destroyForcibly();
            else handle.destroy(); // SIGTERM on Unix
        }

        @Override
        public void cleanup() {
            if (process.isAlive()) signal(Signal.KILL);
        }
    }
}
