package io.slipway.api.outbound;

import io.slipway.api.errors.InvalidInput;
import io.slipway.shared.net.OutboundPolicy;
import io.slipway.shared.net.OutboundRefusedException;
import java.net.URI;
import java.net.UnknownHostException;
import org.springframework.stereotype.Component;

/**
 * Refuses, when it is created, a URL the platform will later fetch or post to on a user's behalf, if its host
 * is already known to lead somewhere internal. A name that does not resolve now is accepted: it is checked
 * again every time it is used, which is what actually protects (DNS can change at any time).
 */
@Component
public class UserUrls {
    private final OutboundPolicy policy;

    public UserUrls(OutboundPolicy policy) {
        this.policy = policy;
    }

    /** @param what how the message names the URL, e.g. {@code "drain URL"} */
    public void refuseInternal(URI url, String what) {
        try {
            policy.resolve(url.getHost());
        } catch (OutboundRefusedException e) {
            throw new InvalidInput("Invalid " + what + ": " + e.getMessage());
        } catch (UnknownHostException e) {
            // checked again when used
        }
    }
}
