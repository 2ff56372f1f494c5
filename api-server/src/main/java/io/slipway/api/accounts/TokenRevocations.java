package io.slipway.api.accounts;

import io.slipway.api.events.EventNotifications;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tells every api-server replica that tokens stopped being valid, so that none goes on accepting one it
 * remembers ({@link IdentifyByToken}). The revoking transaction sends {@code NOTIFY slipway_token_revocations};
 * PostgreSQL delivers it only if that transaction commits, and to every replica's one listening connection
 * ({@link EventNotifications}), whose thread then makes the replica forget every token it remembers. The
 * notification carries nothing (no id, no hash): any listener on the database may read it, and forgetting
 * everything costs one query per active token on the next call.
 */
@Component
public class TokenRevocations {
    static final String CHANNEL = "slipway_token_revocations";
    private final JdbcTemplate jdbc;
    private final IdentifyByToken identifyByToken;

    public TokenRevocations(JdbcTemplate jdbc, IdentifyByToken identifyByToken, EventNotifications notifications) {
        this.jdbc = jdbc;
        this.identifyByToken = identifyByToken;
        // also called after every (re)connect of the listener: a revocation may have been missed meanwhile
        notifications.subscribe(CHANNEL, identifyByToken::forgetNow);
    }

    /**
     * Called by every change that ends a token's validity, inside its transaction: this replica forgets after the
     * commit, the others when the notification sent with the commit reaches them.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void announce() {
        jdbc.queryForObject("SELECT pg_notify(?, '')", Object.class, CHANNEL);
        identifyByToken.forgetAll();
    }
}
