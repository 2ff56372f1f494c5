package io.slipway.api.fleet;

import java.time.Instant;
import java.util.UUID;

/** One {@code dynos} row as the scheduler and the agents API read it (plain SQL, always fresh). */
public record DynoRow(UUID id, UUID appId, String appName, UUID releaseId, String name, String type,
                      String command, String size, String state, String agentId, String host, Integer port,
                      String desiredState, int restartGeneration, boolean oneOff, Integer exitCode,
                      String attachSecret, boolean attachTty, String runEnv, String attachUrl,
                      Instant createdAt, Instant updatedAt) {
    /** The scheduler's desired states (the {@code dynos.desired_state} column). */
    public static final String DESIRED_UP = "up";
    public static final String DESIRED_STOPPED = "stopped";

    public boolean desiredUp() {
        return DESIRED_UP.equals(desiredState);
    }

    public boolean web() {
        return "web".equals(type);
    }

    /** The N of {@code web.N}, or 0 when the name has no number. */
    public int index() {
        int dot = name.lastIndexOf('.');
        if (dot < 0) return 0;
        try {
            return Integer.parseInt(name.substring(dot + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
