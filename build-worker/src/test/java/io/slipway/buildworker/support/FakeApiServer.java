package io.slipway.buildworker.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.slipway.shared.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the api-server's side of the internal build contract, plus the object storage its presigned
 * URLs point at: {@code /internal/builds/**} as the contract defines it, {@code /blobs/<key>} (GET answers 404
 * for a missing object, PUT stores), {@code /m2/**} (this machine's local Maven repository, read-only, as a
 * Maven mirror) and {@code /git/**} (smart-HTTP git through {@code git http-backend}).
 */
public final class FakeApiServer implements AutoCloseable {
    public static final String TOKEN = "test-internal-token";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Path blobs;
    private final Path gitRoot;
    private final Path mavenRepository;
    private final ConcurrentLinkedQueue<Map<String, Object>> queue = new ConcurrentLinkedQueue<>();
    private final Map<String, StringBuffer> outputs = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> results = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> heartbeats = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> versions = new ConcurrentHashMap<>();
    private final Set<String> lostLeases = ConcurrentHashMap.newKeySet();
    private final Map<String, String> slugKeys = new ConcurrentHashMap<>();
    private final List<String> claimedBy = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, String> appIds = new ConcurrentHashMap<>();
    private final Map<String, io.slipway.shared.images.ImageRef> baseImages = new ConcurrentHashMap<>();
    private final List<String> baseImageRequests = new java.util.concurrent.CopyOnWriteArrayList<>();

    public FakeApiServer(Path dir, Path mavenRepository) throws IOException {
        this.blobs = Files.createDirectories(dir.resolve("blobs"));
        this.gitRoot = Files.createDirectories(dir.resolve("git"));
        this.mavenRepository = mavenRepository;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(executor);
        server.createContext("/internal/builds/", this::internal);
        server.createContext("/internal/images/", this::baseImage);
        server.createContext("/blobs/", this::blob);
        server.createContext("/m2/", this::maven);
        server.createContext("/git/", new GitHttpBackend(gitRoot));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public Path gitRoot() {
        return gitRoot;
    }

    /** Stores a blob as if uploaded; answers its URL. */
    public String putBlob(String key, byte[] content) throws IOException {
        Path file = blobs.resolve(key);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        return url() + "/blobs/" + key;
    }

    public Path blobFile(String key) {
        return blobs.resolve(key);
    }

    /** A build as the api-server would queue it. Override any claim field with {@code overrides}. */
    public QueuedBuild enqueue(String appName, byte[] sourceTgz, List<String> buildpacks,
                               Map<String, String> configVars, Map<String, Object> overrides) throws IOException {
        String buildId = UUID.randomUUID().toString();
        String appId = UUID.nameUUIDFromBytes(appName.getBytes(StandardCharsets.UTF_8)).toString();
        String slugId = UUID.randomUUID().toString();
        String sourceUrl = putBlob("sources/" + UUID.randomUUID() + ".tgz", sourceTgz);
        Map<String, Object> claim = new LinkedHashMap<>();
        claim.put("build_id", buildId);
        claim.put("app_id", appId);
        claim.put("app_name", appName);
        claim.put("stack", "heroku-24");
        claim.put("source_url", sourceUrl);
        claim.put("source_checksum", sha256(sourceTgz));
        claim.put("source_from_platform", true); // the fake's own store, as the api-server's presigned URLs
        claim.put("buildpacks", buildpacks);
        claim.put("config_vars", configVars);
        claim.put("cache_get_url", url() + "/blobs/caches/" + appId + ".tgz");
        claim.put("cache_put_url", url() + "/blobs/caches/" + appId + ".tgz");
        claim.put("slug_id", slugId);
        claim.put("slug_put_url", url() + "/blobs/slugs/" + appId + "/" + slugId + ".tgz");
        claim.put("lease_seconds", 60);
        claim.put("timeout_seconds", 900);
        claim.put("max_slug_bytes", 524288000);
        claim.putAll(overrides);
        slugKeys.put(buildId, "slugs/" + appId + "/" + slugId + ".tgz");
        appIds.put(buildId, appId);
        outputs.put(buildId, new StringBuffer());
        heartbeats.put(buildId, new AtomicInteger());
        queue.add(claim);
        return new QueuedBuild(buildId, appId, slugId, "slugs/" + appId + "/" + slugId + ".tgz",
                "caches/" + appId + ".tgz");
    }

    public record QueuedBuild(String buildId, String appId, String slugId, String slugKey, String cacheKey) {}

    /** From now on the build's heartbeats answer 409: its lease is gone. */
    public void loseLease(String buildId) {
        lostLeases.add(buildId);
    }

    public Map<String, Object> awaitResult(String buildId, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Map<String, Object> result = results.get(buildId);
            if (result != null) return result;
            Thread.sleep(50);
        }
        throw new AssertionError("no result for build " + buildId + " within " + timeout + "; output so far:\n"
                + output(buildId));
    }

    /** Waits until the build's output contains {@code text} (lines posted after the result come later). */
    public String awaitOutput(String buildId, String text, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            String output = output(buildId);
            if (output.contains(text)) return output;
            Thread.sleep(50);
        }
        throw new AssertionError("output of build " + buildId + " never contained '" + text + "':\n"
                + output(buildId));
    }

    public Map<String, Object> result(String buildId) {
        return results.get(buildId);
    }

    public String output(String buildId) {
        StringBuffer out = outputs.get(buildId);
        return out == null ? "" : out.toString();
    }

    public int heartbeats(String buildId) {
        return heartbeats.get(buildId).get();
    }

    public List<String> claimedBy() {
        return claimedBy;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void internal(HttpExchange ex) throws IOException {
        try (ex) {
            if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                reply(ex, 401, "{\"id\":\"unauthorized\",\"message\":\"Invalid credentials provided.\"}");
                return;
            }
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String[] parts = ex.getRequestURI().getPath().split("/"); // "", internal, builds, {id|claim}, {op}
            if (parts.length == 4 && parts[3].equals("claim")) {
                claimedBy.add(String.valueOf(Json.parseObject(body).get("worker_id")));
                Map<String, Object> next = queue.poll();
                if (next == null) {
                    reply(ex, 204, null);
                } else {
                    reply(ex, 200, Json.write(next));
                }
                return;
            }
            String id = parts[3];
            switch (parts.length == 5 ? parts[4] : "") {
                case "heartbeat" -> {
                    heartbeats.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                    if (lostLeases.contains(id)) {
                        reply(ex, 409, "{\"id\":\"conflict\",\"message\":\"The build's lease was lost.\"}");
                    } else {
                        reply(ex, 200, "{\"lease_seconds\":60}");
                    }
                }
                case "output" -> {
                    if (!ex.getRequestHeaders().getFirst("Content-Type").startsWith("text/plain")) {
                        reply(ex, 415, "{\"id\":\"bad_request\",\"message\":\"text/plain expected\"}");
                        return;
                    }
                    outputs.computeIfAbsent(id, k -> new StringBuffer()).append(body);
                    reply(ex, 204, null);
                }
                case "result" -> result(ex, id, Json.parseObject(body));
                case "image-blobs" -> imageBlobs(ex, id, Json.parseObject(body));
                default -> reply(ex, 404, "{\"id\":\"not_found\",\"message\":\"Not found.\"}");
            }
        }
    }

    private void result(HttpExchange ex, String id, Map<String, Object> result) throws IOException {
        if ("succeeded".equals(result.get("status")) && result.get("image") != null) {
            imageResult(ex, id, result);
        } else if ("succeeded".equals(result.get("status"))) {
            // as the api-server does: the slug must be in storage with the reported size
            Map<?, ?> slug = (Map<?, ?>) result.get("slug");
            Path stored = slugFileFor(id);
            long size = ((Number) slug.get("size")).longValue();
            if (stored == null || Files.size(stored) != size) {
                reply(ex, 422, "{\"id\":\"invalid_params\",\"message\":\"slug not in storage with that size\"}");
                return;
            }
            results.put(id, result);
            int version = versions.computeIfAbsent(id, k -> new AtomicInteger(4)).incrementAndGet();
            reply(ex, 200, "{\"release\":{\"id\":\"" + UUID.randomUUID() + "\",\"version\":" + version + "}}");
        } else {
            results.put(id, result);
            reply(ex, 200, "{}");
        }
    }

    /** Registers a platform base image whose layer blobs are already under {@code images/base/blobs/sha256/}. */
    public void addBaseImage(String nameAndTag, io.slipway.shared.images.ImageRef image) {
        baseImages.put(nameAndTag, image);
    }

    /** Every {@code GET /internal/images/{name}} the worker made, in order. */
    public List<String> baseImageRequests() {
        return baseImageRequests;
    }

    public static String appBlobKey(String appId, String digest) {
        return "images/apps/" + appId + "/blobs/sha256/" + digest.substring("sha256:".length());
    }

    public static String baseBlobKey(String digest) {
        return "images/base/blobs/sha256/" + digest.substring("sha256:".length());
    }

    private void baseImage(HttpExchange ex) throws IOException {
        try (ex) {
            if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                reply(ex, 401, "{\"id\":\"unauthorized\",\"message\":\"Invalid credentials provided.\"}");
                return;
            }
            String ref = ex.getRequestURI().getPath().substring("/internal/images/".length());
            if (!ref.contains(":")) ref = ref + ":latest";
            baseImageRequests.add(ref);
            io.slipway.shared.images.ImageRef image = baseImages.get(ref);
            if (image == null) {
                reply(ex, 404, Json.write(Map.of("id", "not_found", "message", "Base image " + ref
                        + " is not available: import it with slipway images:import.")));
                return;
            }
            List<Object> layers = new ArrayList<>();
            for (var l : image.layers()) {
                layers.add(new io.slipway.shared.images.ImageLayer(l.digest(), l.size(), l.mediaType(),
                        url() + "/blobs/" + baseBlobKey(l.digest())).toJson());
            }
            Map<String, Object> json = new LinkedHashMap<>(image.toJson());
            json.put("layers", layers);
            json.put("name", ref.substring(0, ref.indexOf(':')));
            json.put("tag", ref.substring(ref.indexOf(':') + 1));
            reply(ex, 200, Json.write(json));
        }
    }

    private void imageBlobs(HttpExchange ex, String buildId, Map<String, Object> body) throws IOException {
        if (lostLeases.contains(buildId)) {
            reply(ex, 409, "{\"id\":\"conflict\",\"message\":\"The build's lease was lost.\"}");
            return;
        }
        String appId = appIds.get(buildId);
        List<Object> answer = new ArrayList<>();
        for (Object o : Json.array(body.get("blobs"))) {
            Map<String, Object> blob = Json.object(o);
            String digest = (String) blob.get("digest");
            long size = ((Number) blob.get("size")).longValue();
            boolean stored = storedWithSize(appBlobKey(appId, digest), size) || storedWithSize(baseBlobKey(digest), size);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("digest", digest);
            entry.put("put_url", stored ? null : url() + "/blobs/" + appBlobKey(appId, digest));
            answer.add(entry);
        }
        reply(ex, 200, Json.write(Map.of("blobs", answer)));
    }

    /** As the api-server does: every blob of the image must be in storage, in the app's or the base namespace. */
    private void imageResult(HttpExchange ex, String id, Map<String, Object> result) throws IOException {
        String appId = appIds.get(id);
        io.slipway.shared.images.ImageRef image = io.slipway.shared.images.ImageRef.parse(result.get("image"));
        for (var l : image.layers()) {
            if (!storedWithSize(appBlobKey(appId, l.digest()), l.size()) && !storedWithSize(baseBlobKey(l.digest()), l.size())) {
                reply(ex, 422, "{\"id\":\"invalid_params\",\"message\":\"Image layer " + l.digest()
                        + " is not in object storage: its upload never completed.\"}");
                return;
            }
        }
        for (String digest : List.of(image.configDigest(), image.manifestDigest())) {
            if (!Files.isRegularFile(blobs.resolve(appBlobKey(appId, digest)))) {
                reply(ex, 422, "{\"id\":\"invalid_params\",\"message\":\"blob " + digest + " missing\"}");
                return;
            }
        }
        if (image.config().runsAsRoot()) {
            results.put(id, Map.of("status", "failed", "message", io.slipway.shared.images.ImageConfig.ROOT_REFUSED));
            reply(ex, 200, "{}");
            return;
        }
        results.put(id, result);
        int version = versions.computeIfAbsent(id, k -> new AtomicInteger(4)).incrementAndGet();
        reply(ex, 200, "{\"release\":{\"id\":\"" + UUID.randomUUID() + "\",\"version\":" + version + "}}");
    }

    private boolean storedWithSize(String key, long size) throws IOException {
        Path file = blobs.resolve(key);
        return Files.isRegularFile(file) && Files.size(file) == size;
    }

    private Path slugFileFor(String buildId) {
        String key = slugKeys.get(buildId);
        return key == null ? null : blobs.resolve(key);
    }

    private void blob(HttpExchange ex) throws IOException {
        try (ex) {
            String key = ex.getRequestURI().getPath().substring("/blobs/".length());
            if (key.contains("..")) {
                reply(ex, 400, null);
                return;
            }
            Path file = blobs.resolve(key);
            switch (ex.getRequestMethod()) {
                case "GET" -> {
                    if (!Files.isRegularFile(file)) {
                        reply(ex, 404, "<Error><Code>NoSuchKey</Code></Error>");
                        return;
                    }
                    ex.sendResponseHeaders(200, Files.size(file));
                    try (OutputStream out = ex.getResponseBody()) {
                        Files.copy(file, out);
                    }
                }
                case "PUT" -> {
                    Files.createDirectories(file.getParent());
                    try (InputStream in = ex.getRequestBody()) {
                        Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                    reply(ex, 200, null);
                }
                default -> reply(ex, 405, null);
            }
        }
    }

    private void maven(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath().substring("/m2/".length());
            Path file = mavenRepository == null ? null : mavenRepository.resolve(path).normalize();
            if (file == null || !file.startsWith(mavenRepository) || !Files.isRegularFile(file)) {
                reply(ex, 404, null);
                return;
            }
            if (ex.getRequestMethod().equals("HEAD")) {
                ex.sendResponseHeaders(200, -1);
                return;
            }
            ex.sendResponseHeaders(200, Files.size(file));
            try (OutputStream out = ex.getResponseBody()) {
                Files.copy(file, out);
            }
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) ex.getResponseBody().write(bytes);
    }

    public static String sha256(byte[] data) {
        try {
            return "SHA256:" + HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every output line, for assertions that read better as lists. */
    public List<String> outputLines(String buildId) {
        return new ArrayList<>(List.of(output(buildId).split("\n")));
    }
}
