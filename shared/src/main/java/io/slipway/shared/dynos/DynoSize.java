package io.slipway.shared.dynos;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The dyno sizes Slipway offers, the platform's one list: the api-server validates and shows them, its scheduler
 * places dynos by their memory, and the dyno-agent enforces that memory. Heroku's names, so
 * {@code ps:scale web=2:Standard-2X} and app.json keep working; a size is a memory limit (CPU is shared
 * fairly, not sized). Names match case-insensitively and are always stored and shown in their canonical
 * spelling; Heroku's retired names ({@code 1X}, {@code 2X}, {@code PX}, {@code Free}, {@code Hobby}) are still
 * understood, because old app.json files and scripts use them.
 */
public enum DynoSize {
    ECO("Eco", 512, "free"),
    BASIC("Basic", 512, "hobby"),
    STANDARD_1X("Standard-1X", 512, "1x"),
    STANDARD_2X("Standard-2X", 1024, "2x"),
    PERFORMANCE_M("Performance-M", 2560, "performance", "px"),
    PERFORMANCE_L("Performance-L", 14336);

    /** What a dyno gets when nobody asked for a size (Heroku's default for a paid app). */
    public static final DynoSize DEFAULT = BASIC;

    private final String herokuName;
    private final int memoryMb;
    private final List<String> retiredNames;
    private final UUID id;

    DynoSize(String herokuName, int memoryMb, String... retiredNames) {
        this.herokuName = herokuName;
        this.memoryMb = memoryMb;
        this.retiredNames = List.of(retiredNames);
        this.id = idOf(herokuName);
    }

    /** The canonical name, as Heroku spells it ({@code Standard-1X}). */
    public String herokuName() {
        return herokuName;
    }

    public int memoryMb() {
        return memoryMb;
    }

    /** Stable, derived from the name, so every replica and restart agrees. */
    public UUID id() {
        return id;
    }

    /** The id a size of this name has (also for a stored name no longer offered). */
    public static UUID idOf(String name) {
        return UUID.nameUUIDFromBytes(("dyno-size:" + name).getBytes(StandardCharsets.UTF_8));
    }

    /** By name (any case, retired names too) or id. */
    public static Optional<DynoSize> find(String nameOrId) {
        if (nameOrId == null) return Optional.empty();
        String wanted = nameOrId.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(s -> s.herokuName.toLowerCase(Locale.ROOT).equals(wanted) || s.retiredNames.contains(wanted)
                        || s.id.toString().equals(wanted))
                .findFirst();
    }

    /** The memory of a size by name; a name not (or no longer) offered gets the default size's. */
    public static int memoryMbOf(String name) {
        return find(name).orElse(DEFAULT).memoryMb;
    }

    /** The offered names, for error messages: {@code Eco, Basic, ...}. */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(DynoSize::herokuName).toList());
    }
}
