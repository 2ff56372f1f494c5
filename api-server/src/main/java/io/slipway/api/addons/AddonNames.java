package io.slipway.api.addons;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.errors.Unavailable;
import io.slipway.api.addons.catalogue.AddonService;
import java.security.SecureRandom;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Add-on names, globally unique as on Heroku: generated ones read {@code postgresql-<adjective>-<number>}
 * ({@code redis-...} for heroku-redis); chosen ones ({@code --name}) follow Heroku's pattern. The database's
 * unique key settles a race between two requests choosing the same name.
 */
@Component
public class AddonNames {
    private static final Pattern NAME = Pattern.compile("^[a-zA-Z][A-Za-z0-9_-]+$");
    private static final int MAX_LENGTH = 100;
    private static final List<String> ADJECTIVES = List.of(
            "amorphous", "angular", "clean", "closed", "concave", "concentric", "convex", "crystalline", "cubic",
            "curved", "cylindrical", "deep", "defined", "dimensional", "elliptical", "flat", "fluffy", "graceful",
            "horizontal", "infinite", "metric", "opaque", "parallel", "perpendicular", "polished", "rectangular",
            "regular", "reticulated", "round", "rugged", "shallow", "sinuous", "slippery", "solid", "spherical",
            "symmetrical", "tapered", "tetrahedral", "triangular", "transparent", "vertical", "silhouetted", "asymmetrical");
    private final SecureRandom random = new SecureRandom();
    private final AddonRepository addons;

    public AddonNames(AddonRepository addons) {
        this.addons = addons;
    }

    /** {@code requested} when given (checked), else a free generated name. */
    public String choose(AddonService service, String requested) {
        if (requested != null) {
            if (requested.length() > MAX_LENGTH || !NAME.matcher(requested).matches()) {
                throw new InvalidInput("Name must start with a letter and contain only letters, digits, "
                        + "dashes and underscores (at most " + MAX_LENGTH + " characters).");
            }
            if (addons.existsByName(requested)) throw new InvalidInput("Name " + requested + " is already taken.");
            return requested;
        }
        for (int attempt = 0; attempt < 20; attempt++) {
            String name = service.configVarPrefix() + "-" + ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "-"
                    + (10000 + random.nextInt(90000));
            if (!addons.existsByName(name)) return name;
        }
        throw new Unavailable("Could not find a free add-on name; try again.");
    }

    /** For a rename: the same rules as a chosen name. */
    public String checkRename(String requested) {
        if (requested == null) throw new InvalidInput("Missing required param `name`.");
        if (requested.length() > MAX_LENGTH || !NAME.matcher(requested).matches()) {
            throw new InvalidInput("Name must start with a letter and contain only letters, digits, "
                    + "dashes and underscores (at most " + MAX_LENGTH + " characters).");
        }
        if (addons.existsByName(requested)) throw new InvalidInput("Name " + requested + " is already taken.");
        return requested;
    }
}
