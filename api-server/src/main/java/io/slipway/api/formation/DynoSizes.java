package io.slipway.api.formation;

import io.slipway.api.web.ApiErrors;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The dyno sizes Slipway offers: Heroku's names, so {@code ps:scale web=2:Standard-2X} and app.json keep
 * working. A size is a memory limit the dyno-agent enforces; names are matched case-insensitively and always
 * stored and shown in their canonical spelling. The one list; everything else asks here.
 */
public final class DynoSizes {
    public record Size(String name, int memoryMb) {
        /** Stable, derived from the name, so every replica and restart agrees. */
        public UUID id() {
            return UUID.nameUUIDFromBytes(("dyno-size:" + name).getBytes(StandardCharsets.UTF_8));
        }
    }

    public static final List<Size> ALL = List.of(
            new Size("Eco", 512),
            new Size("Basic", 512),
            new Size("Standard-1X", 512),
            new Size("Standard-2X", 1024),
            new Size("Performance-M", 2560),
            new Size("Performance-L", 14336));
    public static final Size DEFAULT = ALL.get(1);

    private DynoSizes() {}

    /** By name (any case) or id. */
    public static Optional<Size> find(String nameOrId) {
        if (nameOrId == null) return Optional.empty();
        String wanted = nameOrId.trim().toLowerCase(Locale.ROOT);
        return ALL.stream()
                .filter(s -> s.name().toLowerCase(Locale.ROOT).equals(wanted) || s.id().toString().equals(wanted))
                .findFirst();
    }

    public static Size require(String nameOrId) {
        return find(nameOrId).orElseThrow(() -> ApiErrors.invalidParams("Unknown dyno size " + nameOrId
                + ". Available sizes: " + String.join(", ", ALL.stream().map(Size::name).toList()) + "."));
    }

    /** A stored name, kept as stored if it is not (or no longer) offered, with the default's memory. */
    public static Size of(String storedName) {
        return find(storedName).orElseGet(() -> new Size(storedName, DEFAULT.memoryMb()));
    }
}
