package io.slipway.gitgateway.deploy;

import io.slipway.gitgateway.sideband.Remote;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Relays build output lines to the pushing user and notes what the summary needs: the language a buildpack
 * detected ({@code -----> Node.js app detected}) for the failure message, and which of Heroku's framing lines
 * the build already printed, so the gateway adds only the missing ones.
 */
final class BuildOutput implements Consumer<String> {
    private static final Pattern DETECTED = Pattern.compile("^-----> (.+?) app detected\\s*$");
    private final Remote remote;
    private final String stack;
    private boolean started;
    private String language;
    private boolean launching;
    private boolean released;
    private final java.util.Set<String> errors = new java.util.HashSet<>();

    BuildOutput(Remote remote, String stack) {
        this.remote = remote;
        this.stack = stack;
    }

    @Override
    public void accept(String line) {
        if (!started) {
            started = true;
            if (!line.startsWith("-----> Building on the ")) remote.line(Remote.STEP + "Building on the " + stack + " stack");
        }
        Matcher m = DETECTED.matcher(line);
        if (m.matches()) language = m.group(1);
        if (line.startsWith("-----> Launching")) launching = true;
        if (line.trim().startsWith("Released v")) released = true;
        if (line.trim().startsWith("!")) errors.add(line.trim().substring(1).trim());
        remote.line(line);
    }

    /** After the build: a build that printed nothing still shows where it ran. */
    void finish() {
        if (!started) {
            started = true;
            remote.line(Remote.STEP + "Building on the " + stack + " stack");
        }
    }

    String language() { return language; }
    boolean printedLaunching() { return launching; }
    boolean printedReleased() { return released; }
    /** Whether the build already showed this error line ({@code  !     <text>}), so the summary need not repeat it. */
    boolean showedError(String text) { return errors.contains(text.trim()); }
    boolean showedErrorStartingWith(String prefix) { return errors.stream().anyMatch(e -> e.startsWith(prefix)); }
}
