package io.slipway.api.apps;

import io.slipway.api.errors.InvalidInput;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Heroku's app name rule, and generated names ({@code sleepy-harbor-4821}) for apps created without one. */
public final class AppNames {
    public static final Pattern VALID = Pattern.compile("^[a-z][a-z0-9-]{1,28}[a-z0-9]$");
    private static final String[] ADJECTIVES = {"sleepy", "brave", "calm", "eager", "fancy", "gentle", "happy",
            "jolly", "kind", "lively", "mighty", "nimble", "polite", "quiet", "rapid", "shiny", "sunny", "swift",
            "tidy", "vast", "warm", "young", "bold", "crisp", "daring", "frosty", "golden", "hidden"};
    private static final String[] NOUNS = {"harbor", "river", "meadow", "forest", "island", "canyon", "glacier",
            "lagoon", "mesa", "ocean", "prairie", "reef", "ridge", "summit", "tundra", "valley", "beach", "brook",
            "cliff", "dune", "falls", "grove", "hollow", "inlet", "lake", "peak", "shore", "spring"};
    private static final SecureRandom RANDOM = new SecureRandom();

    private AppNames() {}

    public static void validate(String name) {
        if (name == null || !VALID.matcher(name).matches()) {
            throw new InvalidInput("Name must start with a letter, end with a letter or digit and can only "
                    + "contain lowercase letters, digits, and dashes; it must be 3 to 30 characters long.");
        }
    }

    public static String generate() {
        return ADJECTIVES[RANDOM.nextInt(ADJECTIVES.length)] + "-" + NOUNS[RANDOM.nextInt(NOUNS.length)] + "-"
                + (1000 + RANDOM.nextInt(9000));
    }
}
