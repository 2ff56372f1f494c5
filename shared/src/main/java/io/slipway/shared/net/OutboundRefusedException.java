package io.slipway.shared.net;

import java.io.IOException;

/**
 * A request on a user's behalf was not made because of where it would have gone (or because its download ran
 * past a cap). The message is meant for the user: it names the host and why, never anything else.
 */
public class OutboundRefusedException extends IOException {
    public OutboundRefusedException(String message) {
        super(message);
    }
}
