package io.slipway.api.builds;

import io.slipway.api.slugs.Texts;
import java.time.Instant;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Ends a build as failed, the same way whoever decides it (the worker's result, a slug that does not verify,
 * the lease sweeper): the message is kept on the build and printed as the last line of its output, as
 * Heroku ends a failed build with {@code  !     <reason>}.
 */
@Component
public class FailBuild {
    public static final int MAX_MESSAGE_LENGTH = 1000;
    private final BuildOutput output;

    public FailBuild(BuildOutput output) {
        this.output = output;
    }

    /** {@code build} is locked in the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void fail(Build build, String message) {
        String line = oneLine(message);
        build.fail(line, Instant.now());
        output.append(build.id(), " !     " + line + "\n");
    }

    /** The first non-blank line, bounded; {@code Build failed.} when there is none. */
    static String oneLine(String message) {
        String s = Texts.sanitize(message, 64 * MAX_MESSAGE_LENGTH);
        if (s != null) {
            for (String line : s.split("\\R")) {
                if (!line.isBlank()) return Texts.sanitize(line.strip(), MAX_MESSAGE_LENGTH);
            }
        }
        return "Build failed.";
    }
}
