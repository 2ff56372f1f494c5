package io.slipway.gitgateway.push;

import io.slipway.gitgateway.sideband.Remote;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.eclipse.jgit.transport.ReceiveCommand;

/**
 * Heroku's push rules, checked before anything is built: only {@code main} or {@code master} deploys, one of
 * them per push; nothing is deleted. Forced (non-fast-forward) updates are allowed, as on Heroku: git itself
 * refuses to send one unless the user asked for it with {@code --force}.
 */
public final class PushRules {
    public static final List<String> DEPLOYABLE = List.of("refs/heads/main", "refs/heads/master");

    private PushRules() {}

    /**
     * Rejects what may not be pushed (with a reason for git's ref status and an explanation for the user) and
     * returns the one command to deploy, or null when there is none.
     */
    public static ReceiveCommand check(Collection<ReceiveCommand> commands, Remote remote) {
        List<ReceiveCommand> deploys = new ArrayList<>();
        for (ReceiveCommand cmd : commands) {
            if (cmd.getResult() != ReceiveCommand.Result.NOT_ATTEMPTED) continue;
            if (cmd.getType() == ReceiveCommand.Type.DELETE) {
                cmd.setResult(ReceiveCommand.Result.REJECTED_NODELETE, "deleting branches is not supported");
                remote.error("Deleting " + shortName(cmd) + " is not supported.");
            } else if (!DEPLOYABLE.contains(cmd.getRefName())) {
                cmd.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "only main or master can be pushed");
                remote.error("Push rejected: " + shortName(cmd) + " is not a deploy branch. Only the main or master "
                        + "branch deploys.");
                remote.error("To deploy it, push it to main: git push <remote> " + shortName(cmd) + ":main");
            } else {
                deploys.add(cmd);
            }
        }
        if (deploys.size() > 1) {
            for (ReceiveCommand cmd : deploys) {
                cmd.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "push main or master, not both");
            }
            remote.error("Push rejected: push either main or master, not both at once.");
            return null;
        }
        return deploys.isEmpty() ? null : deploys.get(0);
    }

    static String shortName(ReceiveCommand cmd) {
        String ref = cmd.getRefName();
        return ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : ref;
    }
}
