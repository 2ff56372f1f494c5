package io.slipway.shared.dynos;

/**
 * The platform's log lines about a dyno ({@code heroku[web.1]: ...}), worded exactly as Heroku words them: users
 * grep their logs and log drains for these phrases, and tooling (the release phase, app setups) recognises a
 * dyno's end by them. The one place they are written, so an emitter and a reader cannot disagree.
 */
public final class DynoLogPhrases {
    /** How a dyno's exit line starts; the exit status follows. */
    public static final String EXIT_PREFIX = "Process exited with status ";
    /** Heroku's word for a one-off dyno that ended (it is reported {@code down}). */
    public static final String COMPLETE = "complete";
    /** The exit status shown when a process killed with SIGKILL left none (128 + 9). */
    public static final int KILLED_STATUS = 137;
    public static final String RESTARTING = "Restarting";
    public static final String STOPPING_WITH_SIGTERM = "Stopping all processes with SIGTERM";
    public static final String STOPPING_WITH_SIGKILL = "Stopping process with SIGKILL";
    public static final String CLIENT_GONE = "Client connection closed. Stopping the process";

    private DynoLogPhrases() {}

    /** {@code State changed from up to crashed}; {@code to} is a state's wire name or {@link #COMPLETE}. */
    public static String stateChanged(DynoState from, String to) {
        return "State changed from " + from.wire() + " to " + to;
    }

    public static String startingProcess(String command) {
        return "Starting process with command `" + command + "`";
    }

    /** {@code status} null: killed without a status, shown as {@link #KILLED_STATUS}. */
    public static String processExited(Integer status) {
        return EXIT_PREFIX + (status == null ? KILLED_STATUS : status);
    }

    public static String bootTimeout(long seconds) {
        return "Error R10 (Boot timeout) -> Web process failed to bind to $PORT within " + seconds
                + " seconds of launch";
    }

    public static String exitTimeout(long seconds) {
        return "Error R12 (Exit timeout) -> At least one process failed to exit within " + seconds
                + " seconds of SIGTERM";
    }

    public static String slugUnavailable(String reason) {
        return "Error: cannot fetch the slug: " + reason;
    }

    public static String attachFailed(String reason) {
        return "Error: cannot attach to the terminal (" + reason + ")";
    }

    public static String startFailed(String reason) {
        return "Error: the process could not be started (" + reason + ")";
    }
}
