package io.slipway.shared.dynos;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The states a dyno is reported in, Heroku's words for them ({@code heroku ps} shows them as they are): the
 * dyno-agent reports them, the api-server stores and shows them and derives an app's web state from them, the
 * router answers by that web state (H10 for {@code crashed}, waits while {@code starting}). One enum so the three
 * cannot drift apart; the wire name is what travels in JSON and what the {@code dynos.state} column holds.
 */
public enum DynoState {
    /** Placed, its process starting; a web dyno stays here until it accepts TCP on {@code $PORT}. */
    STARTING("starting"),
    /** Running (a web dyno: accepting connections). */
    UP("up"),
    /** Exited while it should run, or could not be started; the agent restarts it after a back-off. */
    CRASHED("crashed"),
    /** Stopped for good: retired, or a one-off that ended (its exit status travels with it). */
    DOWN("down");

    private static final Set<String> WIRE_NAMES =
            Arrays.stream(values()).map(DynoState::wire).collect(Collectors.toUnmodifiableSet());

    private final String wire;

    DynoState(String wire) {
        this.wire = wire;
    }

    /** The name on the wire and in the database: {@code starting}, {@code up}, {@code crashed}, {@code down}. */
    public String wire() {
        return wire;
    }

    /** Whether {@code wireName} (as read from JSON or a row, maybe null) names this state. */
    public boolean is(String wireName) {
        return wire.equals(wireName);
    }

    /** The state with this wire name; empty for anything else (null included). */
    public static Optional<DynoState> fromWire(String wireName) {
        for (DynoState s : values()) {
            if (s.wire.equals(wireName)) return Optional.of(s);
        }
        return Optional.empty();
    }

    /** Every wire name, for validating what an agent reports. */
    public static Set<String> wireNames() {
        return WIRE_NAMES;
    }

    @Override
    public String toString() {
        return wire;
    }
}
