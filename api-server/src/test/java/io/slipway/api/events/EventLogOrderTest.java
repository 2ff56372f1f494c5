package io.slipway.api.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.api.support.ApiTest;
import io.slipway.api.support.OpenTransaction;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The guarantee followers rely on: seqs are handed out in commit order, so a follower that has seen seq N
 * can never later find a committed event below N; and rolled-back work leaves no event.
 */
class EventLogOrderTest extends ApiTest {
    @Autowired
    EventLog eventLog;
    @Autowired
    EventReader reader;
    @Autowired
    PlatformTransactionManager transactionManager;

    private List<StoredEvent> eventsOf(UUID appId, long after) {
        return reader.after(after, 10_000).stream().filter(e -> appId.equals(e.appId())).toList();
    }

    @Test
    void aTransactionThatAppendsFirstButCommitsLastGetsTheHigherSeq() throws Exception {
        TransactionTemplate tx = new TransactionTemplate(transactionManager);
        UUID appId = UUID.randomUUID();
        long before = reader.lastSeq();
        OpenTransaction slow = OpenTransaction.start(transactionManager, "slow-append",
                () -> eventLog.append("test.slow", appId, "order-test", Map.of("n", 1)));
        tx.executeWithoutResult(s -> eventLog.append("test.fast", appId, "order-test", Map.of("n", 2)));
        assertThat(slow.commitAndAwait()).isNull();

        List<StoredEvent> mine = eventsOf(appId, before);
        assertThat(mine).extracting(StoredEvent::type).containsExactly("test.fast", "test.slow");
        assertThat(mine.get(0).payload()).isEqualTo("{\"n\":2}");
    }

    @Test
    void eventsOfOneTransactionKeepTheirOrderAndRollbacksLeaveNone() {
        TransactionTemplate tx = new TransactionTemplate(transactionManager);
        UUID appId = UUID.randomUUID();
        long before = reader.lastSeq();
        tx.executeWithoutResult(s -> {
            eventLog.append("test.one", appId, "order-test", Map.of());
            eventLog.append("test.two", appId, "order-test", Map.of());
        });
        tx.executeWithoutResult(s -> {
            eventLog.append("test.rolled-back", appId, "order-test", Map.of());
            s.setRollbackOnly();
        });
        assertThat(eventsOf(appId, before)).extracting(StoredEvent::type).containsExactly("test.one", "test.two");
    }
}
