package io.slipway.buildworker.run;

/**
 * A build failed for a reason the app's owner can act on. The message is the one line posted as the build's
 * failure message (Heroku's wording where Heroku has one). A step that already printed its own error lines
 * says so with {@link #shown}, and the message is not printed twice.
 */
public class BuildFailedException extends Exception {
    private final boolean shown;

    public BuildFailedException(String message) {
        this(message, false);
    }

    private BuildFailedException(String message, boolean shown) {
        super(message);
        this.shown = shown;
    }

    /** A failure whose message is already in the build output. */
    public static BuildFailedException shown(String message) {
        return new BuildFailedException(message, true);
    }

    public boolean isShown() {
        return shown;
    }
}
