package io.slipway.api.logs.drains;

import io.slipway.api.ApiServerConfig;
import io.slipway.api.logs.LogLine;
import jakarta.annotation.PreDestroy;
import io.slipway.shared.net.GuardedHttpClient;
import io.slipway.shared.net.OutboundPolicy;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Sends the lines this replica stored to their apps' log drains. {@link #forward} only queues (it never
 * blocks ingest); one dispatcher thread looks up the drains of the batch's apps (one query) and hands the
 * frames to each drain's {@link DrainSender}, created on first use and ended when idle. Each replica forwards
 * what it ingested, so with several replicas every line still goes out exactly once.
 */
@Component
public class LogDrainForwarder {
    private static final Logger log = LoggerFactory.getLogger(LogDrainForwarder.class);
    /** Batches (one per ingest call) waiting for the dispatcher; beyond that they are dropped and counted. */
    private static final int PENDING_BATCHES = 1000;

    private final JdbcTemplate jdbc;
    private final int drainQueueLines;
    private final Duration idle;
    private final BlockingQueue<List<LogLine>> pending = new ArrayBlockingQueue<>(PENDING_BATCHES);
    private final Map<String, DrainSender> senders = new ConcurrentHashMap<>();
    private final AtomicLong droppedBatches = new AtomicLong();
    /** Drain URLs are a user's: every connection goes through the outbound policy (no internal addresses). */
    private final GuardedHttpClient http;
    private final OutboundPolicy policy;
    private final Thread dispatcher;
    private volatile boolean running = true;

    public LogDrainForwarder(JdbcTemplate jdbc, ApiServerConfig config, GuardedHttpClient http) {
        this.jdbc = jdbc;
        this.http = http;
        this.policy = http.policy();
        this.drainQueueLines = config.logs().drainQueueLines();
        this.idle = config.logs().drainIdleTimeout();
        this.dispatcher = new Thread(this::dispatchLoop, "log-drain-dispatcher");
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    /** Queues stored lines for their apps' drains; never blocks. */
    public void forward(List<LogLine> lines) {
        if (lines.isEmpty() || !running) return;
        if (!pending.offer(lines)) {
            long n = droppedBatches.incrementAndGet();
            if (n == 1 || n % 100 == 0) log.warn("Log drains are behind: dropped {} batch(es) of lines so far", n);
        }
    }

    private void dispatchLoop() {
        while (running) {
            List<LogLine> batch;
            try {
                batch = pending.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (batch == null) continue;
            try {
                dispatch(batch);
            } catch (RuntimeException e) {
                log.warn("Forwarding {} log line(s) to drains failed: {}", batch.size(), e.toString());
            }
        }
    }

    private void dispatch(List<LogLine> lines) {
        Set<UUID> apps = new LinkedHashSet<>();
        for (LogLine l : lines) apps.add(l.appId());
        Map<UUID, List<Drain>> drains = drainsOf(apps);
        if (drains.isEmpty()) return;
        Map<UUID, List<String>> frames = new LinkedHashMap<>();
        for (LogLine l : lines) {
            if (drains.containsKey(l.appId())) frames.computeIfAbsent(l.appId(), k -> new ArrayList<>()).add(SyslogFrames.frame(l));
        }
        frames.forEach((app, appFrames) -> {
            for (Drain d : drains.get(app)) send(d, appFrames);
        });
    }

    private void send(Drain d, List<String> frames) {
        for (int attempt = 0; attempt < 3; attempt++) {
            DrainSender s = senders.computeIfAbsent(d.id() + " " + d.url(), k -> start(k, d));
            if (s.offer(frames)) return;
            senders.remove(d.id() + " " + d.url(), s); // it just went idle: start a new one
        }
    }

    private DrainSender start(String key, Drain d) {
        java.util.function.Consumer<DrainSender> onClose = closed -> senders.remove(key, closed);
        String scheme = d.url().substring(0, Math.max(0, d.url().indexOf(':'))).toLowerCase(Locale.ROOT);
        DrainSender s = scheme.startsWith("syslog")
                ? new SyslogDrainSender(d.id().toString(), d.url(), policy, drainQueueLines, idle, onClose)
                : new HttpDrainSender(d.id().toString(), d.url(), d.token(), http, drainQueueLines, idle, onClose);
        Thread t = new Thread(s, "log-drain-" + d.id());
        t.setDaemon(true);
        t.start();
        return s;
    }

    private Map<UUID, List<Drain>> drainsOf(Set<UUID> apps) {
        Map<UUID, List<Drain>> out = new LinkedHashMap<>();
        jdbc.execute((Connection c) -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, app_id, url, token FROM log_drains WHERE app_id = ANY(?)")) {
                Array ids = c.createArrayOf("uuid", apps.toArray());
                ps.setArray(1, ids);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Drain d = new Drain(rs.getObject("id", UUID.class), rs.getObject("app_id", UUID.class),
                                rs.getString("url"), rs.getString("token"));
                        out.computeIfAbsent(d.appId(), k -> new ArrayList<>()).add(d);
                    }
                }
            }
            return null;
        });
        return out;
    }

    /** Failed deliveries so far to one drain, by the sender this replica runs for it now (diagnostics). */
    public long failedDeliveries(UUID drainId) {
        return senders.values().stream().filter(s -> s.drainId.equals(drainId.toString()))
                .mapToLong(DrainSender::failures).sum();
    }

    @PreDestroy
    void stop() {
        running = false;
        dispatcher.interrupt();
        senders.values().forEach(DrainSender::close);
    }

    private record Drain(UUID id, UUID appId, String url, String token) {}
}
