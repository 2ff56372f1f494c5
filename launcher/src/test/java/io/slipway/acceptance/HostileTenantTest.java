package io.slipway.acceptance;

import static io.slipway.shared.net.LocalPorts.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slipway.api.accounts.CreateUser;
import io.slipway.launcher.LauncherConfig;
import io.slipway.launcher.Platform;
import io.slipway.shared.testing.ScratchDirs;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue #8's "hostile tenant" suite on the real stack of {@code slipway up} (real runc dynos, real git, real HTTP):
 * Mallory has nothing but an API key and {@code git push}; Alice's app is the victim. Each test is an attack that
 * worked before the platform isolated its tenants, and must now be refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileTenantTest {
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();

    private static final Duration DEPLOY = Duration.ofSeconds(180);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private Platform platform;
    private PlatformApi api;
    private GitCli git;
    private RouterClient router;
    private CreateUser.Created alice;
    private CreateUser.Created mallory;
    private String victimApp;
    private String attackerApp;
    private final String victimMarker = "victim-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    void start() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "builds and dynos run in runc containers, which need root");
        Path dataDir = scratch.create("slipway-hostile").resolve("data");
        platform = Platform.start(new LauncherConfig(dataDir, freePort(), "admin@example.com", 0));
        api = new PlatformApi(platform);
        CreateUser users = platform.apiServer().getBean(CreateUser.class);
        alice = users.create("alice-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com", "alice-password-1", false);
        mallory = users.create("mallory-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com", "mallory-password", false);
        git = new GitCli(scratch.create("git-home"), platform.tls().caCert());
        router = new RouterClient(platform.routerPort());

        victimApp = api.createApp(alice.apiKey(), "victim");
        api.call(alice.apiKey(), "PATCH", "/apps/" + victimApp + "/config-vars", Map.of("VICTIM_SECRET", victimMarker));
        push(alice, git.newRepo(ProbeApp.files(victimMarker)), victimApp);
        attackerApp = api.createApp(mallory.apiKey(), "attacker");
        api.call(mallory.apiKey(), "PATCH", "/apps/" + attackerApp + "/config-vars", Map.of("MALLORY", "1"));
        push(mallory, git.newRepo(ProbeApp.files("attacker")), attackerApp);
        router.awaitBody(victimApp, victimMarker, DEPLOY);
        router.awaitBody(attackerApp, "attacker", DEPLOY);
    }

    @AfterAll
    void stop() {
        if (platform != null) platform.close();
    }

    @Test
    @Order(1)
    void internalApiIsNotReachableWithAUsersKeyWhateverTheEncoding() throws Exception {
        for (String path : List.of("/internal/snapshot", "/%69nternal/snapshot", "/internal;a=b/snapshot",
                "/internal/./snapshot", "//internal/snapshot", "/INTERNAL/snapshot", "/internal%2Fsnapshot",
                "/internal/snapshot;x=1", "/internal/routes", "/%69nternal/routes", "/internal/users")) {
            HttpResponse<String> r = raw(mallory.apiKey(), "GET", path);
            assertNotEquals(200, r.statusCode(), path + " answered " + r.body());
            assertFalse(r.body().contains(victimApp), path + " leaked the victim app: " + r.body());
        }
        HttpResponse<String> claim = raw(mallory.apiKey(), "POST", "/%69nternal/builds/claim");
        assertTrue(claim.statusCode() / 100 == 4, "claim answered " + claim.statusCode() + " " + claim.body());
    }

    @Test
    @Order(2)
    void passwordBruteForceIsThrottled() throws Exception {
        Set<Integer> statuses = new TreeSet<>();
        int throttledAt = -1;
        for (int i = 0; i < 30 && throttledAt < 0; i++) {
            int status = login(alice.account().email(), "wrong-password-" + i).statusCode();
            statuses.add(status);
            if (status == 429) throttledAt = i;
        }
        assertTrue(throttledAt > 0, "30 wrong passwords were never throttled: " + statuses);
        HttpResponse<String> right = login(alice.account().email(), "alice-password-1");
        assertEquals(429, right.statusCode(), "the right password is refused too while throttled: " + right.body());
        assertTrue(right.body().contains("rate_limit"), right.body());
    }

    @Test
    @Order(3)
    void aDynoReachesNoPlatformPortAndNoOtherAppsDyno() throws Exception {
        JsonNode victim = probe(victimApp, "/whoami");
        JsonNode attacker = probe(attackerApp, "/whoami");
        Set<Integer> platformPorts = hostListeningPorts();
        platformPorts.removeAll(allowedFromDynos());
        // its own $PORT answers on its own loopback (the host publishes that port too, for the router)
        platformPorts.remove(attacker.path("port").asInt());
        List<String> targets = new ArrayList<>();
        for (String host : hostAddresses()) for (int port : platformPorts) targets.add(host + ":" + port);
        for (JsonNode a : victim.path("addresses")) targets.add(a.asText() + ":" + victim.path("port").asInt());
        targets.add("127.0.0.1:" + victim.path("port").asInt());
        List<String> open = new ArrayList<>();
        for (int i = 0; i < targets.size(); i += 40) {
            String batch = String.join(",", targets.subList(i, Math.min(targets.size(), i + 40)));
            for (JsonNode r : probe(attackerApp, "/connect?t=" + batch)) {
                if ("open".equals(r.get(2).asText())) open.add(r.get(0).asText() + ":" + r.get(1).asInt());
            }
        }
        assertTrue(targets.size() > 5, "probed " + targets);
        assertEquals(List.of(), open, "a dyno reached platform ports or another app's dyno");
    }

    @Test
    @Order(4)
    void aDynoSeesNoOtherAppsProcessesNorTheHostsSockets() throws Exception {
        for (JsonNode environ : probe(attackerApp, "/environs")) {
            assertFalse(environ.asText().contains(victimMarker), "read the victim's environment through /proc");
        }
        JsonNode attacker = probe(attackerApp, "/whoami");
        Set<Integer> seen = new HashSet<>();
        for (JsonNode p : probe(attackerApp, "/listeners")) seen.add(p.asInt());
        seen.remove(attacker.path("port").asInt());
        assertEquals(Set.of(), seen, "a dyno listed sockets that are not its own");
        // and on the host, the two apps' processes run as different users
        assertNotEquals(hostUidOf("VICTIM_SECRET=" + victimMarker), hostUidOf("DYNO=web.1", "MALLORY=1"),
                "two apps' dynos share a host uid");
    }

    @Test
    @Order(5)
    void aDynoCannotFillTheHostsDisk() throws Exception {
        for (String dir : List.of("/app", "/tmp")) {
            JsonNode r = probe(attackerApp, "/fill?dir=" + dir + "&capMb=3072");
            assertTrue(Set.of("ENOSPC", "EDQUOT").contains(r.path("code").asText()),
                    dir + " was not limited: " + r);
        }
    }

    @Test
    @Order(6)
    void aDynoBindingThePortRangeDoesNotStopOtherDynos() throws Exception {
        api.call(mallory.apiKey(), "PATCH", "/apps/" + attackerApp + "/formation",
                Map.of("updates", List.of(Map.of("type", "web", "quantity", 2))));
        // each attacker dyno binds half of the agent's default range, so on a shared network nothing would be left
        Set<String> done = new HashSet<>();
        long deadline = System.nanoTime() + DEPLOY.toNanos();
        while (done.size() < 2 && System.nanoTime() < deadline) {
            JsonNode who = probe(attackerApp, "/whoami");
            String dyno = who.path("dyno").asText();
            if (done.contains(dyno)) continue;
            int from = "web.1".equals(dyno) ? 40000 : 45000;
            JsonNode bound = probe(attackerApp, "/bind?from=" + from + "&to=" + (from + 4999));
            if (bound.path("bound").asInt() > 0) done.add(dyno);
        }
        api.call(alice.apiKey(), "PATCH", "/apps/" + victimApp + "/formation",
                Map.of("updates", List.of(Map.of("type", "web", "quantity", 2))));
        Set<String> answering = new HashSet<>();
        long until = System.nanoTime() + DEPLOY.toNanos();
        while (answering.size() < 2 && System.nanoTime() < until) {
            HttpResponse<String> r = router.get(victimApp, "/whoami");
            if (r.statusCode() == 200) answering.add(JSON.readTree(r.body()).path("dyno").asText());
            else Thread.sleep(200);
        }
        assertEquals(Set.of("web.1", "web.2"), answering, "the victim's second dyno started and serves");
    }

    @Test
    @Order(7)
    void anUploadedSlugWhoseLinksChainOutOfItsDirectoryNeverGivesTheDynoTheHost() throws Exception {
        String marker = "slug-" + UUID.randomUUID().toString().substring(0, 8);
        String app = api.createApp(mallory.apiKey(), "slug");
        String web = "node -e \"require('fs').writeFileSync('/app/tmp/" + marker + "', 'x');"
                + " require('http').createServer((q, r) => r.end('ran ' + process.env.RUN)).listen(process.env.PORT)\"";
        // the control: the same command from an honest slug runs and serves (so the attack below is not failing
        // for some other reason)
        Path honest = scratch.create("honest-slug");
        Files.createDirectories(honest.resolve("app/tmp"));
        release(app, SourceTarballs.ownedBy1000(honest), web);
        api.call(mallory.apiKey(), "PATCH", "/apps/" + app + "/config-vars", Map.of("RUN", "honest"));
        router.awaitBody(app, "ran honest", DEPLOY);
        // the attack: each link resolves, as text, inside the slug; on the real file system the chain climbs one
        // directory per link until `app` is the host's `/` (whose /tmp is world-writable)
        Path evil = scratch.create("evil-slug");
        Files.createSymbolicLink(evil.resolve("l0"), Path.of("."));
        for (int i = 1; i <= 24; i++) Files.createSymbolicLink(evil.resolve("l" + i), Path.of("l" + (i - 1) + "/.."));
        Files.createSymbolicLink(evil.resolve("app"), Path.of("l24"));
        String releaseId = release(app, SourceTarballs.ownedBy1000(evil), web);
        api.call(mallory.apiKey(), "PATCH", "/apps/" + app + "/config-vars", Map.of("RUN", "evil"));
        // wait until the evil release's web dyno has ended up somewhere (crashed, or up if the slug was defused)
        long deadline = System.nanoTime() + DEPLOY.toNanos();
        String states = "";
        while (System.nanoTime() < deadline) {
            states = api.call(mallory.apiKey(), "GET", "/apps/" + app + "/dynos", null).toString();
            if (states.contains("crashed") || router.get(app, "/").body().contains("ran evil")) break;
            Thread.sleep(500);
        }
        assertFalse(Files.exists(Path.of("/tmp", marker)), "the dyno wrote into the host's /tmp: " + states);
        assertTrue(releaseId != null);
    }

    @Test
    @Order(8)
    void aPushedRepositoryWithLinksOutOfTheTreeKeepsThemAsLinksAndCopiesNoHostFile() throws Exception {
        String app = api.createApp(mallory.apiKey(), "links");
        Path dir = git.newRepo(ProbeApp.files("links"));
        Files.createSymbolicLink(dir.resolve("l0"), Path.of("."));
        for (int i = 1; i <= 24; i++) Files.createSymbolicLink(dir.resolve("l" + i), Path.of("l" + (i - 1) + "/.."));
        Files.createSymbolicLink(dir.resolve("hostroot"), Path.of("l24"));
        Files.createSymbolicLink(dir.resolve("secret"), platform.dataDir().secrets().toAbsolutePath());
        Files.createSymbolicLink(dir.resolve("passwd"), Path.of("/etc/passwd"));
        git.run(dir, "add", "-A").ok();
        git.run(dir, "commit", "-q", "-m", "links").ok();
        push(mallory, dir, app);
        router.awaitBody(app, "links", DEPLOY);
        JsonNode slug = newestSlug(app);
        byte[] bytes = download(slug.path("blob").path("url").asText());
        String listing = SourceTarballs.listing(bytes);
        for (String entry : List.of("app/hostroot", "app/secret", "app/passwd")) {
            assertTrue(listing.lines().anyMatch(l -> l.startsWith("l") && l.contains(entry + " -> ")),
                    entry + " is carried as a link:\n" + listing);
        }
        assertFalse(listing.contains("app/hostroot/"), "the slug copied the host's tree:\n" + listing);
    }

    /** Ports a dyno may reach on the platform's hosts by design (see docs/security.md): none today. */
    /**
     * The add-on servers (the apps' PostgreSQL, the Redis instances' range) are the platform's only ports opened to
     * dynos, on purpose: each add-on has its own credentials (docs/addons.md; AddonsAcceptanceTest shows one app's
     * credentials refused on another's database).
     */
    private Set<Integer> allowedFromDynos() {
        Set<Integer> ports = new HashSet<>();
        for (String service : platform.addonServices()) {
            String range = service.substring(service.lastIndexOf(':') + 1);
            int dash = range.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
            int to = Integer.parseInt(dash < 0 ? range : range.substring(dash + 1));
            for (int p = from; p <= to; p++) ports.add(p);
        }
        return ports;
    }

    /** Creates a slug with a {@code web} process type, uploads {@code tgz} to it and releases it. */
    private String release(String app, byte[] tgz, String web) throws Exception {
        JsonNode slug = api.call(mallory.apiKey(), "POST", "/apps/" + app + "/slugs", Map.of("process_types", Map.of("web", web)));
        HttpResponse<String> put = api.https().send(HttpRequest.newBuilder(URI.create(slug.path("blob").path("url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(tgz)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());
        return api.call(mallory.apiKey(), "POST", "/apps/" + app + "/releases", Map.of("slug", slug.path("id").asText()))
                .path("id").asText();
    }

    private JsonNode newestSlug(String app) throws Exception {
        String slugId = api.newestRelease(mallory.apiKey(), app).path("slug").path("id").asText();
        return api.call(mallory.apiKey(), "GET", "/apps/" + app + "/slugs/" + slugId, null);
    }

    private byte[] download(String url) throws Exception {
        HttpResponse<byte[]> r = api.https().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    private JsonNode probe(String app, String path) throws Exception {
        HttpResponse<String> r = router.get(app, path);
        assertEquals(200, r.statusCode(), app + path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> raw(String apiKey, String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(platform.config().publicUrl() + path))
                .header("Authorization", "Bearer " + apiKey)
                .header("Accept", "application/vnd.heroku+json; version=3")
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return api.https().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> login(String email, String password) throws Exception {
        String basic = Base64.getEncoder().encodeToString((email + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(platform.config().publicUrl() + "/oauth/authorizations"))
                .header("Authorization", "Basic " + basic)
                .header("Accept", "application/vnd.heroku+json; version=3")
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"description\":\"brute\",\"scope\":[\"global\"]}")).build();
        return api.https().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private void push(CreateUser.Created user, Path dir, String app) throws IOException, InterruptedException {
        String url = "https://heroku:" + URLEncoder.encode(user.apiKey(), StandardCharsets.UTF_8) + "@127.0.0.1:"
                + platform.config().apiPort() + "/" + app + ".git";
        GitCli.Result r = git.run(dir, 300, "push", url, "main");
        assertEquals(0, r.exitCode(), r.output().replace(user.apiKey(), "***"));
    }

    /** Every TCP port in LISTEN state in the host's network namespace (where the platform's components listen). */
    private static Set<Integer> hostListeningPorts() throws IOException {
        Set<Integer> ports = new TreeSet<>();
        for (String f : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(f));
            for (String line : lines.subList(1, lines.size())) {
                String[] cols = line.trim().split("\\s+");
                if (cols.length > 3 && "0A".equals(cols[3])) {
                    String local = cols[1];
                    ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }

    /** The host's IPv4 addresses a dyno could aim at: loopback and every interface's (the dyno bridge's too). */
    private static List<String> hostAddresses() throws IOException {
        List<String> out = new ArrayList<>(List.of("127.0.0.1"));
        for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
            nif.inetAddresses().filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                    .forEach(a -> out.add(a.getHostAddress()));
        }
        return out;
    }

    /** The host uid of the first process whose environment holds every one of {@code needles}. */
    private static int hostUidOf(String... needles) throws IOException {
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String env = Files.readString(p.resolve("environ"), StandardCharsets.ISO_8859_1);
                    String cmd = Files.readString(p.resolve("cmdline"), StandardCharsets.ISO_8859_1);
                    boolean all = cmd.contains("node");
                    for (String n : needles) all &= env.contains(n);
                    if (all) return (Integer) Files.getAttribute(p, "unix:uid");
                } catch (IOException | RuntimeException e) {
                    // a process that ended meanwhile
                }
            }
        }
        throw new AssertionError("no dyno process with " + List.of(needles));
    }
}
