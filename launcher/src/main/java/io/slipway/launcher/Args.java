package io.slipway.launcher;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A subcommand's arguments: positionals, {@code --name value} / {@code --name=value} options and
 * {@code --flag} switches. Anything not declared is a {@link UsageException}, so typos never pass silently.
 */
public final class Args {
    private final List<String> positionals = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();
    /** Every value of an option given more than once ({@code --env A=1 --env B=2}); {@link #option} keeps the last. */
    private final Map<String, List<String>> repeated = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    private Args() {}

    public static Args parse(List<String> argv, Set<String> valueOptions, Set<String> flagOptions) {
        Args args = new Args();
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("--")) {
                args.positionals.addAll(argv.subList(i + 1, argv.size()));
                break;
            }
            if (!a.startsWith("--") || a.length() == 2) {
                args.positionals.add(a);
                continue;
            }
            int eq = a.indexOf('=');
            String name = eq < 0 ? a.substring(2) : a.substring(2, eq);
            if (valueOptions.contains(name)) {
                String value;
                if (eq >= 0) value = a.substring(eq + 1);
                else if (i + 1 < argv.size()) value = argv.get(++i);
                else throw new UsageException("Option --" + name + " needs a value.");
                args.options.put(name, value);
                args.repeated.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else if (flagOptions.contains(name) && eq < 0) {
                args.flags.add(name);
            } else {
                throw new UsageException("Unknown option: " + a);
            }
        }
        return args;
    }

    public List<String> positionals() {
        return positionals;
    }

    public String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    /** Every value given for a repeatable option, in order (empty when it was not given). */
    public List<String> values(String name) {
        return List.copyOf(repeated.getOrDefault(name, List.of()));
    }

    public int intOption(String name, int fallback) {
        String v = options.get(name);
        if (v == null) return fallback;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("Option --" + name + " needs a number, not '" + v + "'.");
        }
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }
}
