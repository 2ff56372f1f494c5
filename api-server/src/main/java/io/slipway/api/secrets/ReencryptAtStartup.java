package io.slipway.api.secrets;

import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Before the api-server takes traffic, moves every config-vars row to the primary key: encrypts rows written
 * before encryption existed (the key is never in SQL, so a Flyway migration cannot) and rows under older keys.
 */
@Component
public class ReencryptAtStartup {
    private final ReencryptConfigVars reencrypt;

    public ReencryptAtStartup(ReencryptConfigVars reencrypt) {
        this.reencrypt = reencrypt;
    }

    @EventListener(ApplicationStartedEvent.class)
    public void reencrypt() {
        reencrypt.run();
    }
}
