package io.slipway.dynoagent.drivers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How every dyno starts, whatever the driver: bash sources {@code $HOME/.profile.d/*.sh} (buildpacks put PATH and
 * friends there), then replaces itself with {@code bash -c "<command>"}. The command travels as a positional
 * argument, never spliced into the script, so any Procfile line works unquoted. For a simple command the inner
 * bash execs it directly and signals reach the app itself; a compound one keeps bash as its parent. Under a tty
 * the command runs via {@code script}, which gives it a pseudo terminal and passes bytes through.
 */
public final class LaunchScript {
    private static final String PROFILE = "for f in \"$HOME\"/.profile.d/*.sh; do [ -r \"$f\" ] && . \"$f\"; done; ";

    private LaunchScript() {}

    public static List<String> args(String command, boolean tty) {
        List<String> args = new ArrayList<>(List.of("/bin/bash", "-c"));
        args.add(PROFILE + "cd \"$HOME\" || exit 1; "
                + (tty ? "exec script -qfec \"$1\" /dev/null" : "exec /bin/bash -c \"$1\""));
        args.add("dyno");
        args.add(command);
        return args;
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
