package io.slipway.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The internet-scale simulation (issue 9): {@code docs/benchmarks/scale-simulation.sh} starts PostgreSQL and an
 * api-server, seeds the apps, and runs this against them. It registers {@code SIM_AGENTS} simulated agents
 * ({@link SimAgent}), waits until every app's web dyno is assigned and reported up, then measures
 * heartbeat cost, event fan-out to every follower, and {@code ps:scale} → assignment latency, and prints Markdown.
 * Two threads for HTTP callbacks, one timer, and one selector thread per 50 agents: the simulator shares the
 * machine's cores with what it measures.
 *
 * <p>{@code ScaleSimulation tokens PREFIX N} prints the api-server's {@code SLIPWAY_INTERNAL_TOKENS} entries of
 * the N agents (hashed), so the api-server's environment holds no usable token.
 */
public final class ScaleSimulation {
    /**
     * Agents per HTTP client: the JDK 17 client keeps its idle connections in a list scanned on every request,
     * which stalls one client with thousands of connections; each client adds one selector thread.
     */
    static final int AGENTS_PER_CLIENT = 50;

    private ScaleSimulation() {
    }

    static String agentId(int i) {
        return String.format("sim-%04d", i);
    }

    static String agentToken(String prefix, int i) {
        return prefix + "-" + agentId(i);
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("tokens")) {
            StringBuilder out = new StringBuilder();
            for (int i = 1; i <= Integer.parseInt(args[2]); i++) {
                out.append("agent:").append(agentId(i)).append("=sha256:").append(sha256(agentToken(args[1], i))).append('\n');
            }
            System.out.print(out);
            return;
        }
        new Run(System.getenv()).run();
    }

    private static final class Run {
        final int agents;
        final int apps;
        /** how many of the apps start with web=1 (the first ones); the others have web=0 */
        final int running;
        final int scales;
        final int fanouts;
        final String prefix;
        final String publicUrl;
        final String apiKey;
        final long apiPid;
        final long pgPid;
        final String jdbc;
        final String dbUser;
        final String dbPassword;
        final long placeTimeoutSeconds;
        final ExecutorService executor = Executors.newFixedThreadPool(2, daemon("sim-http"));
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("sim-timer"));
        final Fleet fleet;
        final List<SimAgent> fleetAgents = new ArrayList<>();

        Run(Map<String, String> env) {
            agents = Integer.parseInt(env.getOrDefault("SIM_AGENTS", "1000"));
            apps = Integer.parseInt(env.getOrDefault("SIM_APPS", "10000"));
            running = Integer.parseInt(env.getOrDefault("SIM_RUNNING_APPS", String.valueOf(apps)));
            scales = Integer.parseInt(env.getOrDefault("SIM_SCALES", "50"));
            fanouts = Integer.parseInt(env.getOrDefault("SIM_FANOUTS", "20"));
            placeTimeoutSeconds = Long.parseLong(env.getOrDefault("SIM_PLACE_TIMEOUT", "1200"));
            prefix = env.get("SIM_TOKEN_PREFIX");
            publicUrl = env.get("SIM_PUBLIC_URL");
            apiKey = env.get("SIM_API_KEY");
            apiPid = Long.parseLong(env.getOrDefault("SIM_API_PID", "0"));
            pgPid = Long.parseLong(env.getOrDefault("SIM_PG_PID", "0"));
            jdbc = env.get("SIM_JDBC_URL");
            dbUser = env.get("SIM_DB_USER");
            dbPassword = env.getOrDefault("SIM_DB_PASSWORD", "");
            SimHttp[] agentHttp = new SimHttp[Math.max(1, (agents + AGENTS_PER_CLIENT - 1) / AGENTS_PER_CLIENT)];
            for (int i = 0; i < agentHttp.length; i++) agentHttp[i] = new SimHttp(executor);
            fleet = new Fleet(new SimHttp(executor), agentHttp, timer, env.get("SIM_INTERNAL_URL"));
        }

        void run() throws Exception {
            long t0 = System.nanoTime();
            register();
            double registered = secondsSince(t0);
            log("registered %d agents in %.1f s; waiting until the %d running apps' dynos are assigned and up", agents, registered, running);
            long t1 = System.nanoTime();
            while (fleet.dynosUp.get() < running && secondsSince(t1) < placeTimeoutSeconds) {
                Thread.sleep(1000);
                if ((int) secondsSince(t1) % 30 == 0) progress();
            }
            double placed = secondsSince(t1);
            int up = fleet.dynosUp.get();
            log("%d dynos assigned and up after %.1f s", up, placed);
            Thread.sleep(10_000); // let the last state reports and their events settle
            System.out.println("### Setup\n");
            System.out.printf("| agents | apps | agents registered in | dynos assigned and reported up | after |%n|---|---|---|---|---|%n");
            System.out.printf("| %d | %d | %.1f s | %d | %.1f s |%n%n", agents, apps, registered, up, placed);
            heartbeats();
            fanout();
            scale();
            progress();
            System.out.printf("%nSimulator's own CPU over the whole run: %.1f s (it shares the two cores).%n", Measure.selfCpuSeconds());
            fleetAgents.forEach(SimAgent::close);
            executor.shutdownNow();
            timer.shutdownNow();
        }

        void register() throws Exception {
            Semaphore inFlight = new Semaphore(25);
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 1; i <= agents; i++) {
                SimAgent a = new SimAgent(fleet, fleet.httpOf(i), agentId(i), agentToken(prefix, i));
                fleetAgents.add(a);
                inFlight.acquire();
                all.add(a.start().whenComplete((v, e) -> {
                    inFlight.release();
                    if (e != null) log("agent %s failed to start: %s", a.id, e);
                }));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null).get(10, TimeUnit.MINUTES);
        }

        void progress() {
            log("dynos up %d, heartbeats ok %d failed %d, assignment reads %d, state reports %d, events received %d, "
                            + "stream reconnects %d", fleet.dynosUp.get(), fleet.heartbeatsOk.get(), fleet.heartbeatsFailed.get(),
                    fleet.assignmentReads.get(), fleet.stateReports.get(), fleet.eventsReceived.get(), fleet.reconnects.get());
        }

        /** Window A with heartbeats, window B without (shorter than lost-after): the difference is their cost. */
        void heartbeats() throws InterruptedException {
            double secondsA = 30;
            // the last heartbeat before the pause may be up to one interval (3 s) old: 3 + 6 s stays under the
            // 12 s after which every agent would be lost (a pause of 15 s once had all 1,000 lost and re-placed)
            double secondsB = 6;
            Measure.resetStatements(jdbc, dbUser, dbPassword);
            double[] a = window(secondsA);
            long hb = (long) a[3];
            List<Measure.Statement> top = Measure.topStatements(jdbc, dbUser, dbPassword, 10);
            fleet.heartbeatsPaused = true;
            double[] b = window(secondsB);
            fleet.heartbeatsPaused = false;
            double apiPerHb = (a[0] / secondsA - b[0] / secondsB) * secondsA / hb * 1000;
            double pgPerHb = (a[1] / secondsA - b[1] / secondsB) * secondsA / hb * 1000;
            System.out.println("### Heartbeats\n");
            System.out.println("| window | seconds | heartbeats | api-server CPU s | PostgreSQL CPU s | simulator CPU s |");
            System.out.println("|---|---|---|---|---|---|");
            System.out.printf("| A: heartbeating | %.0f | %d | %.2f | %.2f | %.2f |%n", secondsA, hb, a[0], a[1], a[2]);
            System.out.printf("| B: heartbeats paused | %.0f | %d | %.2f | %.2f | %.2f |%n%n", secondsB, (long) b[3], b[0], b[1], b[2]);
            System.out.printf("Per heartbeat (A minus B, scaled to A's length): api-server %.2f ms CPU, PostgreSQL %.2f ms CPU "
                    + "(%.0f heartbeats/s).%n%n", apiPerHb, pgPerHb, hb / secondsA);
            System.out.println("Statements by total time during window A (pg_stat_statements):\n");
            System.out.println("| calls | total ms | ms/call | statement |\n|---|---|---|---|");
            for (Measure.Statement s : top) {
                String q = s.query().length() > 110 ? s.query().substring(0, 110) + "…" : s.query();
                System.out.printf("| %d | %.0f | %.3f | `%s` |%n", s.calls(), s.totalMs(), s.totalMs() / Math.max(1, s.calls()),
                        q.replace("|", "\\|"));
            }
            System.out.println();
        }

        /** [api CPU s, postgres CPU s, simulator CPU s, heartbeats] over a window. */
        double[] window(double seconds) throws InterruptedException {
            double api = Measure.cpuSeconds(apiPid, false);
            double pg = Measure.cpuSeconds(pgPid, true);
            double self = Measure.selfCpuSeconds();
            long hb = fleet.heartbeatsOk.get();
            Thread.sleep((long) (seconds * 1000));
            return new double[] {Measure.cpuSeconds(apiPid, false) - api, Measure.cpuSeconds(pgPid, true) - pg,
                    Measure.selfCpuSeconds() - self, fleet.heartbeatsOk.get() - hb};
        }

        /** Toggles an app's maintenance flag (one event) and times its arrival at every follower. */
        void fanout() throws Exception {
            List<Double> last = new ArrayList<>();
            List<Double> median = new ArrayList<>();
            int incomplete = 0;
            for (int i = 0; i < fanouts; i++) {
                boolean on = i % 2 == 0;
                Fleet.FanoutProbe probe = new Fleet.FanoutProbe("sim-app-1", on, agents);
                fleet.fanout(probe);
                long start = System.nanoTime();
                SimHttp.Answer a = fleet.http.platform("PATCH", publicUrl + "/apps/sim-app-1", apiKey,
                        Map.of("maintenance", on)).get(60, TimeUnit.SECONDS);
                if (a.status() != 200) throw new IllegalStateException("maintenance: HTTP " + a.status() + " " + a.body());
                try {
                    probe.all.get(60, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    incomplete++;
                }
                int n = Math.min(probe.count.get(), agents);
                List<Double> arrivals = new ArrayList<>();
                for (int k = 0; k < n; k++) arrivals.add((probe.arrivals[k] - start) / 1e6);
                if (!arrivals.isEmpty()) {
                    last.add(Measure.percentile(arrivals, 100));
                    median.add(Measure.percentile(arrivals, 50));
                }
                fleet.fanout(null);
                Thread.sleep(1000);
            }
            System.out.println("### Event fan-out\n");
            System.out.printf("One `app.maintenance` event (PATCH /apps/{app} through the public API) to %d followers, %d times; "
                    + "time from sending the PATCH until the event reached the median / the last follower "
                    + "(%d trials did not reach every follower within 60 s).%n%n", agents, fanouts, incomplete);
            System.out.println("| | p50 ms | p99 ms | max ms |\n|---|---|---|---|");
            System.out.printf("| median follower | %.0f | %.0f | %.0f |%n", Measure.percentile(median, 50), Measure.percentile(median, 99),
                    Measure.percentile(median, 100));
            System.out.printf("| last follower | %.0f | %.0f | %.0f |%n%n", Measure.percentile(last, 50), Measure.percentile(last, 99),
                    Measure.percentile(last, 100));
        }

        /** {@code ps:scale web=2} of one app at a time, until the new web.2 reaches its agent; then back to 1. */
        void scale() throws Exception {
            List<Double> latencies = new ArrayList<>();
            int missed = 0;
            for (int i = 0; i < scales; i++) {
                String app = "sim-app-" + ((i * 7919L) % running + 1); // a running app: web=1 → 2 → 1
                CompletableFuture<Long> seen = fleet.watchAssignment(app, "web.2");
                long start = System.nanoTime();
                SimHttp.Answer a = formation(app, 2);
                if (a.status() != 200) throw new IllegalStateException("scale " + app + ": HTTP " + a.status() + " " + a.body());
                try {
                    latencies.add((seen.get(60, TimeUnit.SECONDS) - start) / 1e6);
                } catch (TimeoutException e) {
                    missed++;
                }
                fleet.forget(app, "web.2");
                formation(app, 1);
                Thread.sleep(500);
            }
            System.out.println("### ps:scale to assignment\n");
            System.out.printf("`PATCH /apps/{app}/formation` web=2 (public API, %d different apps, one at a time, while the "
                    + "agents heartbeat), until the simulated agent that gets web.2 has read it in its assignments; then back "
                    + "to web=1. %d scales, %d not assigned within 60 s.%n%n", scales, scales, missed);
            System.out.println("| p50 ms | p90 ms | p99 ms | max ms |\n|---|---|---|---|");
            System.out.printf("| %.0f | %.0f | %.0f | %.0f |%n%n", Measure.percentile(latencies, 50), Measure.percentile(latencies, 90),
                    Measure.percentile(latencies, 99), Measure.percentile(latencies, 100));
        }

        SimHttp.Answer formation(String app, int quantity) throws Exception {
            return fleet.http.platform("PATCH", publicUrl + "/apps/" + app + "/formation", apiKey,
                    Map.of("updates", List.of(Map.of("type", "web", "quantity", quantity)))).get(60, TimeUnit.SECONDS);
        }

        static double secondsSince(long t) {
            return (System.nanoTime() - t) / 1e9;
        }
    }

    static void log(String format, Object... args) {
        System.err.printf("[sim %tT] %s%n", System.currentTimeMillis(), String.format(format, args));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
