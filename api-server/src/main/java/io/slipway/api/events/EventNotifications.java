package io.slipway.api.events;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The api-server process's one ear on {@code LISTEN slipway_events}. Every replica's {@link EventLog} sends a
 * {@code NOTIFY} when a transaction with events commits; this component holds ONE dedicated JDBC connection
 * (outside the pool, so followers never tie up pooled connections) listening for them on a daemon thread,
 * and wakes its subscribers, who then read the new rows with an ordinary pooled query. The connection is
 * re-opened with backoff when it fails, and subscribers are woken after every (re)connect, since
 * notifications sent while nobody listened are lost.
 */
@Component
public class EventNotifications implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(EventNotifications.class);
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
    private final Set<Runnable> subscribers = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private volatile boolean listening;
    private volatile Connection connection;
    private Thread thread;

    public EventNotifications(DataSource dataSource, Environment environment) {
        this.dataSource = dataSource;
        this.environment = environment;
    }

    /**
     * Calls {@code onWake} (on the listener thread: it must only hand work off) whenever events may have
     * been committed. Returns the way to unsubscribe.
     */
    public Runnable subscribe(Runnable onWake) {
        subscribers.add(onWake);
        return () -> subscribers.remove(onWake);
    }

    /** False while the connection is down; followers then poll, since they cannot be woken. */
    public boolean isListening() {
        return listening;
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
                    st.execute("LISTEN " + EventLog.CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                listening = true;
                failures = 0;
                log.debug("listening on {}", EventLog.CHANNEL);
                wakeAll();
                long lastTraffic = System.nanoTime();
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
                    if (notifications != null && notifications.length > 0) {
                        lastTraffic = System.nanoTime();
                        wakeAll();
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

    private void wakeAll() {
        for (Runnable s : subscribers) {
            try {
                s.run();
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
        props.setProperty("ApplicationName", "slipway-event-listener");
        props.setProperty("tcpKeepAlive", "true");
        // bounds the probe query; waits for notifications set their own timeout
        props.setProperty("socketTimeout", "30");
        return DriverManager.getConnection(url, props);
    }

    private static void putIfSet(Properties props, String key, String value) {
        if (value != null) props.setProperty(key, value);
    }
}
