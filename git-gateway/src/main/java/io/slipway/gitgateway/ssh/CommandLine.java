package io.slipway.gitgateway.ssh;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command an SSH git client asks for, parsed strictly and never given to a shell. What git sends:
 * {@code git-receive-pack 'app.git'} for {@code git@host:app.git} and {@code git-receive-pack '/app.git'} for
 * {@code ssh://git@host:2222/app.git}; also accepted: the {@code git receive-pack} spelling and an unquoted
 * path. The app name must be a valid app name; anything else is refused.
 */
public record CommandLine(Service service, String app) {
    public enum Service { RECEIVE_PACK, UPLOAD_PACK }

    private static final Pattern COMMAND = Pattern.compile(
            "^git[- ](receive-pack|upload-pack) ('?)/?([a-z][a-z0-9-]{1,28}[a-z0-9])\\.git/?\\2$");

    /** @return the parsed command, or null when it is not a git command for an app repository */
    public static CommandLine parse(String command) {
        if (command == null || command.length() > 200) return null;
        Matcher m = COMMAND.matcher(command);
        if (!m.matches()) return null;
        Service service = m.group(1).equals("receive-pack") ? Service.RECEIVE_PACK : Service.UPLOAD_PACK;
        return new CommandLine(service, m.group(3));
    }
}
