package io.slipway.acceptance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Steady requests to one app through the front door (the balancer in front of the routers) for as long as it
 * runs, each recorded with its time and outcome, so that a fault test can count the failures in any window.
 * A failure is anything but a 200 (a 503 from a router, a reset, a timeout).
 */
final class LoadGenerator implements AutoCloseable {
    record Sample(long atMillis, boolean ok, String what) {}

    private final URI uri;
    private final String host;
    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    LoadGenerator(int appsPort, String app, int concurrency) {
        this.uri = URI.create("http://127.0.0.1:" + appsPort + "/");
        this.host = app + ".localhost";
        for (int i = 0; i < concurrency; i++) {
            Thread t = new Thread(this::loop, "load-" + app + "-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void loop() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1).build();
        while (running) {
            long at = System.currentTimeMillis();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Host", host)
                        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
                samples.add(new Sample(at, r.statusCode() == 200, r.statusCode() == 200 ? "" : r.statusCode() + " "
                        + r.body().lines().findFirst().orElse("")));
            } catch (java.io.IOException e) {
                samples.add(new Sample(at, false, e.toString()));
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(50); // ~20 requests a second per thread: steady, not a benchmark
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Requests started in [from, to] (epoch millis). */
    List<Sample> between(long from, long to) {
        return samples.stream().filter(s -> s.atMillis() >= from && s.atMillis() <= to).toList();
    }

    long failures(long from, long to) {
        return between(from, to).stream().filter(s -> !s.ok()).count();
    }

    long total(long from, long to) {
        return between(from, to).size();
    }

    /** A few distinct failure reasons in the window, for the report. */
    String reasons(long from, long to) {
        return between(from, to).stream().filter(s -> !s.ok()).map(Sample::what).distinct().limit(3).toList().toString();
    }

    @Override
    public void close() {
        running = false;
        threads.forEach(Thread::interrupt);
    }
}
