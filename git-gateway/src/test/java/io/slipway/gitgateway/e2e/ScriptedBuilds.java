package io.slipway.gitgateway.e2e;

import io.slipway.gitgateway.deploy.BuildClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A scripted stand-in for the build service only (the Builds API and build-worker are built elsewhere): it
 * keeps the source archive the gateway produced, prints scripted output lines, and succeeds or fails. Everything
 * else in the tests is real: git, the api-server, the gateway, object storage.
 */
public final class ScriptedBuilds implements BuildClient {
    /** What the gateway handed over for one build. */
    public record Received(String app, String commit, String accountEmail, Path archive) {}

    public static final class Script {
        boolean fail;
        List<String> lines = List.of("-----> Building on the heroku-24 stack", "-----> Node.js app detected",
                "       Installing node 22.x", "-----> Build succeeded!");
        List<String> beforeWaiting = List.of();
        CountDownLatch started;
        CountDownLatch proceed;

        public static Script succeed() {
            return new Script();
        }

        public static Script fail() {
            Script s = new Script();
            s.fail = true;
            s.lines = List.of("-----> Building on the heroku-24 stack", "-----> Node.js app detected",
                    "       npm ERR! Missing script: \"build\"", "-----> Build failed");
            return s;
        }

        /** The build signals {@code started} and then waits until {@code proceed} opens. */
        public Script blocking(CountDownLatch started, CountDownLatch proceed) {
            this.started = started;
            this.proceed = proceed;
            return this;
        }

        /** Lines printed before the build waits for {@code proceed}. */
        public Script first(List<String> lines) {
            this.beforeWaiting = lines;
            return this;
        }

        public Script lines(List<String> lines) {
            this.lines = lines;
            return this;
        }
    }

    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> versions = new ConcurrentHashMap<>();
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final Path keep;

    public ScriptedBuilds(Path keep) {
        this.keep = keep;
    }

    public void script(String app, Script script) {
        scripts.put(app, script);
    }

    public List<Received> received(String app) {
        synchronized (received) {
            return received.stream().filter(r -> r.app().equals(app)).toList();
        }
    }

    @Override
    public Result build(Request request, Consumer<String> output) throws IOException, InterruptedException {
        String app = request.access().appName();
        Path copy = keep.resolve(app + "-" + request.commit() + "-" + System.nanoTime() + ".tgz");
        Files.copy(request.sourceArchive(), copy);
        received.add(new Received(app, request.commit(), request.access().email(), copy));
        Script script = scripts.getOrDefault(app, Script.succeed());
        for (String line : script.beforeWaiting) output.accept(line);
        if (script.started != null) script.started.countDown();
        if (script.proceed != null && !script.proceed.await(120, TimeUnit.SECONDS)) {
            throw new IOException("scripted build was never released");
        }
        for (String line : script.lines) output.accept(line);
        if (script.fail) return new Result("build-" + System.nanoTime(), Status.FAILED, null, null);
        int version = versions.computeIfAbsent(app, a -> new AtomicInteger(1)).incrementAndGet();
        return new Result("build-" + System.nanoTime(), Status.SUCCEEDED, version, null);
    }
}
