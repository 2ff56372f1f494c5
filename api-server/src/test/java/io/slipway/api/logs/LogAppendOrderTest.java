package io.slipway.api.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.api.support.ApiTest;
import io.slipway.api.support.ApiTest.User;
import io.slipway.api.support.OpenTransaction;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * An app's log lines get seqs in commit order (its streams read {@code seq > cursor}), while appends for apps on
 * another ordering stripe do not wait for it: here one transaction appends a line of app A and stays open.
 */
class LogAppendOrderTest extends ApiTest {
    @Autowired
    LogLines lines;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void anOpenAppendHoldsBackItsAppsNextLinesButNoOtherApps() throws Exception {
        User alice = newUser();
        UUID a = newApp(alice);
        UUID b = newApp(alice);
        while (LogLines.stripeOf(b) == LogLines.stripeOf(a)) b = newApp(alice);
        UUID other = b;

        AtomicLong firstSeq = new AtomicLong();
        try (OpenTransaction open = OpenTransaction.start(transactions, "open-append",
                () -> firstSeq.set(lines.append(List.of(line(a, "first"))).get(0).seq()))) {
            CompletableFuture.supplyAsync(() -> lines.append(List.of(line(other, "elsewhere")))).get(30, TimeUnit.SECONDS);

            CompletableFuture<List<LogLine>> second = CompletableFuture.supplyAsync(() -> lines.append(List.of(line(a, "second"))));
            assertThatThrownBy(() -> second.get(2, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
            open.close();
            assertThat(second.get(30, TimeUnit.SECONDS).get(0).seq()).isGreaterThan(firstSeq.get());
        }
    }

    private UUID newApp(User owner) {
        String name = uniqueAppName("order");
        call("POST", "/apps").as(owner).json("{\"name\":\"" + name + "\"}").send().expect(201);
        return jdbc.queryForObject("SELECT id FROM apps WHERE name = ?", UUID.class, name);
    }

    private static LogLine line(UUID app, String message) {
        return new LogLine(app, 0, Instant.now(), LogLine.SOURCE_APP, "web.1", message);
    }
}
