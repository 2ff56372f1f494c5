package io.slipway.api.events;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The api-server process's one ear on PostgreSQL's {@code LISTEN}. Every replica's {@link EventLog} sends a
 * {@code NOTIFY slipway_events} when a transaction with events commits (and token revocations have a channel of
 * their own, {@code accounts.TokenRevocations}); this component holds ONE dedicated JDBC connection (outside the
 * pool, so followers never tie up pooled connections) listening on every channel subscribed to, on a daemon
 * thread, and wakes a channel's subscribers, who then read the new rows with an ordinary pooled query. The
 * connection is re-opened with backoff when it fails, and every subscriber is woken after every (re)connect,
 * since notifications sent while nobody listened are lost.
 */
@Component
public class EventNotifications implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(EventNotifications.class);
    /** The listening connections' name in {@code pg_stat_activity}, one per running replica. */
    public static final String APPLICATION_NAME = "slipway-event-listener";
    /** How long one wait for notifications lasts; between waits the loop checks it should still run. */
    private static final int WAIT_MILLIS = 5_000;
    /** A silent connection is probed this often, so a half-dead one (no RST) is noticed and replaced. */
    private static final long PROBE_NANOS = TimeUnit.SECONDS.toNanos(30);
    /**
     * Re-opening is jittered and capped at 5 s: one connection per replica costs the database nothing, and every
     * second without it is a second the followers of this replica hear of no change (a PostgreSQL restart).
     */
    private static final io.slipway.shared.retry.Backoff BACKOFF = new io.slipway.shared.retry.Backoff(
            java.time.Duration.ofMillis(250), java.time.Duration.ofSeconds(5));

    private final DataSource dataSource;
    private final Environment environment;
    /** Subscribers by channel; the channels are fixed once listening starts (see {@link #subscribe(String, Consumer)}). */
    private final Map<String, Set<Consumer<List<String>>>> subscribers = new ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile boolean listening;
    private final AtomicLong connects = new AtomicLong();
    private volatile Connection connection;
    /** Channel names go into {@code LISTEN} as identifiers, so only plain ones. */
    private static final Pattern CHANNEL_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private Thread thread;

    public EventNotifications(DataSource dataSource, Environment environment) {
        this.dataSource = dataSource;
        this.environment = environment;
        subscribers.put(EventLog.CHANNEL, ConcurrentHashMap.newKeySet());
    }

    /**
     * Calls {@code onWake} (on the listener thread: it must only hand work off) whenever events may have
     * been committed. Returns the way to unsubscribe.
     */
    public Runnable subscribe(Runnable onWake) {
        return subscribe(EventLog.CHANNEL, payloads -> onWake.run());
    }

    /**
     * Calls {@code onWake} (on the listener thread: it must be quick and must not block) with the payloads of the
     * notifications on {@code channel} that arrived together, and with none after every (re)connect, when
     * notifications may have been missed. A channel new to this component must be subscribed to before it starts
     * (singleton beans do it in their constructor): the connection LISTENs on the channels known when it opens.
     * Returns the way to unsubscribe.
     */
    public synchronized Runnable subscribe(String channel, Consumer<List<String>> onWake) {
        if (!CHANNEL_NAME.matcher(channel).matches()) throw new IllegalArgumentException("bad channel " + channel);
        if (running && !subscribers.containsKey(channel)) {
            throw new IllegalStateException("channel " + channel + " subscribed to after the listener started");
        }
        Set<Consumer<List<String>>> set = subscribers.computeIfAbsent(channel, c -> ConcurrentHashMap.newKeySet());
        set.add(onWake);
        return () -> set.remove(onWake);
    }

    /** False while the connection is down; followers then poll, since they cannot be woken. */
    public boolean isListening() {
        return listening;
    }

    /** How many times the listening connection has been opened so far (the first time included). */
    public long connects() {
        return connects.get();
    }

    @Override
    public synchronized void start() {
        if (running) return;
        running = true;
        thread = new Thread(this::loop, "slipway-event-listener");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        Connection c = connection;
        if (c != null) {
            try {
                c.abort(Runnable::run); // unblocks a wait in progress
            } catch (SQLException | RuntimeException e) {
                log.debug("closing the event listener connection: {}", e.toString());
            }
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void loop() {
        int failures = 0;
        while (running) {
            try (Connection c = open()) {
                connection = c;
                try (Statement st = c.createStatement()) {
                    for (String channel : subscribers.keySet()) st.execute("LISTEN " + channel);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                failures = 0;
                log.debug("listening on {}", subscribers.keySet());
                // woken before they are told the connection listens: a subscriber that trusts what it remembers only
                // while listening (IdentifyByToken) must have forgotten what it may have missed first
                subscribers.values().forEach(set -> wake(set, List.of()));
                connects.incrementAndGet();
                listening = true;
                long lastTraffic = System.nanoTime();
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
                    if (notifications != null && notifications.length > 0) {
                        lastTraffic = System.nanoTime();
                        wakeChannelsOf(notifications);
                    } else if (System.nanoTime() - lastTraffic > PROBE_NANOS) {
                        try (Statement st = c.createStatement()) {
                            st.execute("SELECT 1");
                        }
                        lastTraffic = System.nanoTime();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                failures++;
                if (running) {
                    log.warn("event listener connection failed ({}); reconnecting (attempt {})", e.getMessage(),
                            failures + 1);
                }
            } finally {
                listening = false;
                connection = null;
            }
            if (!running) break;
            try {
                Thread.sleep(BACKOFF.delayMillis(Math.max(1, failures)));
            } catch (InterruptedException e) {
                if (!running) break;
            }
        }
    }

    /** Each channel's subscribers once, with all the payloads it got. */
    private void wakeChannelsOf(PGNotification[] notifications) {
        Map<String, List<String>> payloads = new HashMap<>();
        for (PGNotification n : notifications) {
            payloads.computeIfAbsent(n.getName(), c -> new ArrayList<>()).add(n.getParameter());
        }
        payloads.forEach((channel, list) -> {
            Set<Consumer<List<String>>> set = subscribers.get(channel);
            if (set != null) wake(set, list);
        });
    }

    private static void wake(Set<Consumer<List<String>>> subscribers, List<String> payloads) {
        for (Consumer<List<String>> s : subscribers) {
            try {
                s.accept(payloads);
            } catch (RuntimeException e) {
                log.warn("event subscriber failed", e);
            }
        }
    }

    /** A connection of its own, with the pool's settings: it lives as long as the process. */
    private Connection open() throws SQLException {
        String url;
        Properties props = new Properties();
        if (dataSource.isWrapperFor(HikariDataSource.class)) {
            HikariDataSource hikari = dataSource.unwrap(HikariDataSource.class);
            url = hikari.getJdbcUrl();
            props.putAll(hikari.getDataSourceProperties());
            putIfSet(props, "user", hikari.getUsername());
            putIfSet(props, "password", hikari.getPassword());
        } else {
            url = environment.getProperty("spring.datasource.url");
            putIfSet(props, "user", environment.getProperty("spring.datasource.username"));
            putIfSet(props, "password", environment.getProperty("spring.datasource.password"));
        }
        if (url == null) throw new SQLException("no JDBC URL for the event listener");
        props.setProperty("ApplicationName", APPLICATION_NAME);
        props.setProperty("tcpKeepAlive", "true");
        // bounds the probe query; waits for notifications set their own timeout
        props.setProperty("socketTimeout", "30");
        return DriverManager.getConnection(url, props);
    }

    private static void putIfSet(Properties props, String key, String value) {
        if (value != null) props.setProperty(key, value);
    }
}
