package io.slipway.api.addons;

import io.slipway.api.errors.InvalidInput;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Names an attachment may take ({@code --as}): they become config var prefixes, so they are upper case
 * environment names ({@code DATABASE} gives {@code DATABASE_URL}). heroku-postgresql add-ons also get Heroku's
 * colour alias, {@code HEROKU_POSTGRESQL_<COLOR>}, one colour not yet used on the app.
 */
public final class AttachmentNames {
    /** Services whose add-ons get a colour alias besides their default attachment, as on Heroku. */
    public static final Set<String> COLOURED_SERVICES = Set.of("heroku-postgresql");
    private static final Pattern NAME = Pattern.compile("^[A-Z][A-Z0-9_]*$");
    private static final int MAX_LENGTH = 64;
    private static final List<String> COLOURS = List.of("AMBER", "AQUA", "BLACK", "BLUE", "BRONZE", "BROWN",
            "CHARCOAL", "COBALT", "COPPER", "CRIMSON", "CYAN", "GOLD", "GRAY", "GREEN", "IVORY", "JADE", "MAROON",
            "NAVY", "OLIVE", "ONYX", "ORANGE", "PINK", "PUCE", "PURPLE", "RED", "ROSE", "SILVER", "TEAL", "WHITE",
            "YELLOW");
    private static final SecureRandom RANDOM = new SecureRandom();

    private AttachmentNames() {}

    /** {@code --as foo} is {@code FOO}, as Heroku upper-cases it; anything else that is no env name is refused. */
    public static String check(String requested) {
        String name = requested.toUpperCase(java.util.Locale.ROOT);
        if (name.length() > MAX_LENGTH || !NAME.matcher(name).matches()) {
            throw new InvalidInput("Attachment name must start with a letter and contain only letters, digits "
                    + "and underscores (at most " + MAX_LENGTH + " characters).");
        }
        return name;
    }

    /**
     * A colour alias ({@code HEROKU_POSTGRESQL_RED}, {@code HEROKU_REDIS_RED}) free on an app whose attachment and
     * config var names are {@code taken}; null once every colour is used.
     */
    public static String colourAlias(String configVarPrefix, Set<String> taken) {
        String prefix = "HEROKU_" + configVarPrefix.toUpperCase(java.util.Locale.ROOT) + "_";
        List<String> free = new ArrayList<>();
        for (String c : COLOURS) if (!taken.contains(prefix + c)) free.add(c);
        if (free.isEmpty()) return null;
        return prefix + free.get(RANDOM.nextInt(free.size()));
    }
}
