package io.slipway.dynoagent.drivers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How every dyno starts, whatever the driver: bash merges stderr into stdout (one ordered stream, as logplex
 * shows it), sources {@code $HOME/.profile.d/*.sh} (buildpacks put PATH and friends there), and runs
 * {@code bash -c "<command>"}. The command travels as a positional argument, never spliced into the script, so any
 * Procfile line works unquoted. Under a tty the command runs via {@code script}, which gives it a pseudo terminal
 * and passes bytes through.
 *
 * <p>As a container's init (pid 1 of its namespace) a process never gets signals it has no handler for: an app
 * exec'd as pid 1 would ignore SIGTERM. So in a container bash stays pid 1, runs the command as its child (which
 * keeps the default dispositions), waits for it and exits with its status; SIGTERM goes to every process of the
 * container, the app included, and the kernel drops it for the handler-less init. The init deliberately sets no
 * trap: a trapped signal interrupts {@code wait} with 128+n, and when the app then exits at once (as on SIGTERM)
 * bash may already have reaped it, so its real status was lost and a clean exit 0 was reported as 143. Outside a
 * container bash simply replaces itself with the command.
 */
public final class LaunchScript {
    private static final String PREAMBLE = "exec 2>&1; "
            + "for f in \"$HOME\"/.profile.d/*.sh; do [ -r \"$f\" ] && . \"$f\"; done; cd \"$HOME\" || exit 1; ";
    private static final String AS_INIT = "exec 3<&0; "
            + "%s <&3 3<&- & child=$!; exec 3<&-; "
            + "wait \"$child\"; exit $?";

    private LaunchScript() {}

    /** @param asInit the shell is pid 1 of the dyno's pid namespace */
    public static List<String> args(String command, boolean tty, boolean asInit) {
        String run = tty ? "script -qfec \"$1\" /dev/null" : "/bin/bash -c \"$1\"";
        List<String> args = new ArrayList<>(List.of("/bin/bash", "-c"));
        args.add(PREAMBLE + (asInit ? String.format(AS_INIT, run) : "exec " + run));
        args.add("dyno");
        args.add(command);
        return args;
    }

    /**
     * How an image dyno starts: a null command execs the image's own {@code entrypoint + cmd} directly (no shell:
     * the image may have none, and it is its pid 1 as under Docker); a command runs as {@code /bin/sh -c
     * <command>} (Heroku's rule for heroku.yml {@code run} and one-offs) with {@code sh} as the init that passes
     * SIGTERM on, as for slugs. Under a tty the command runs via the image's {@code script} when it has one (a
     * pseudo terminal), else straight.
     */
    public static List<String> imageArgs(String command, List<String> defaultCommand, boolean tty) {
        if (command == null) return List.copyOf(defaultCommand);
        String run = tty
                ? "if command -v script >/dev/null 2>&1; then script -qfec \"$1\" /dev/null; else /bin/sh -c \"$1\"; fi"
                : "/bin/sh -c \"$1\"";
        String init = String.format(AS_INIT, "{ " + run + "; }");
        return List.of("/bin/sh", "-c", init, "dyno", command);
    }

    /**
     * An image dyno's environment: the agent's defaults, then the image's {@code env}, then the release's config
     * vars, then what the platform sets ({@code PORT}, {@code DYNO}, {@code PS}), which neither may override.
     */
    public static Map<String, String> imageEnv(DynoSpec spec) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("HOME", spec.image().home());
        env.put("SHELL", "/bin/sh");
        for (String kv : spec.image().env()) {
            int eq = kv.indexOf('=');
            if (eq > 0) env.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        env.putAll(spec.env());
        env.put("PORT", Integer.toString(spec.port()));
        env.put("DYNO", spec.dynoName());
        env.put("PS", spec.dynoName());
        if (spec.tty()) env.putIfAbsent("TERM", "xterm-256color");
        return env;
    }

    /** The dyno's environment: config vars, then what the platform sets (which config vars cannot override). */
    public static Map<String, String> env(DynoSpec spec, String home) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LANG", "C.UTF-8");
        env.putAll(spec.env());
        env.put("HOME", home);
        env.put("PORT", Integer.toString(spec.port()));
        env.put("DYNO", spec.dynoName());
        env.put("PS", spec.dynoName());
        env.put("SHELL", "/bin/bash"); // script(1) runs the command with $SHELL
        if (spec.tty()) env.putIfAbsent("TERM", "xterm-256color");
        return env;
    }
}
