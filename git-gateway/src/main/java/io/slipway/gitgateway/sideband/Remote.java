package io.slipway.gitgateway.sideband;

import org.eclipse.jgit.transport.ReceivePack;

/**
 * Lines for the pushing user, sent on git's side band (git prints each as {@code remote: <line>}) and flushed at
 * once, so build output appears while the build runs. Heroku's layout: {@code -----> } for steps, seven spaces
 * for details, {@code  !     } for errors.
 */
public final class Remote {
    public static final String STEP = "-----> ";
    public static final String DETAIL = "       ";
    public static final String ERROR = " !     ";
    private final ReceivePack rp;

    public Remote(ReceivePack rp) {
        this.rp = rp;
    }

    public void line(String text) {
        // one side-band message per line; a CR or LF inside would break git's "remote:" prefixing
        for (String l : text.split("\r\n|\r|\n", -1)) rp.sendMessage(l);
        try {
            rp.getMessageOutputStream().flush();
        } catch (java.io.IOException gone) {
            // the client went away; the push ends when git stops reading
        }
    }

    public void error(String text) {
        line(ERROR + text);
    }
}
