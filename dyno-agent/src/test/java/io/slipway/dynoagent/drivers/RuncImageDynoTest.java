package io.slipway.dynoagent.drivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.dynoagent.config.SandboxSettings;
import io.slipway.dynoagent.images.ImageBlobs;
import io.slipway.dynoagent.images.ImageRoots;
import io.slipway.dynoagent.images.ImageUser;
import io.slipway.dynoagent.lifecycle.PortProbe;
import io.slipway.shared.net.LocalPorts;
import io.slipway.shared.testing.ScratchDirs;
import io.slipway.dynoagent.support.TestImages;
import io.slipway.shared.images.ImageConfig;
import io.slipway.shared.images.ImageLayer;
import io.slipway.shared.images.ImageRef;
import io.slipway.shared.sandbox.SizedDisk;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Image dynos for real: an OCI image built in the test from the host's static busybox (two layers, the upper one
 * with a whiteout and an opaque directory), served over HTTP, fetched and verified by {@link ImageBlobs},
 * unpacked by {@link ImageRoots} and run by the runc driver under the slug dynos' sandbox.
 */
class RuncImageDynoTest {
    private static final Path BUSYBOX = TestImages.BUSYBOX;
    private static final Duration LONG = Duration.ofSeconds(60);
    private static final List<String> APPLETS = List.of("sh", "id", "ls", "touch", "cat", "echo", "httpd", "pwd",
            "sleep", "env");
    private static final String PASSWD = "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n"
            + "toor:x:0:0::/:/bin/sh\n";

    // not @TempDir: JUnit deletes through a mount a failed close left (a slug, a volume) and fails the test
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();
    final Path tmp = scratch.create("slipway-runc-image");
    private RuncDynoDriver driver;
    private TestImages images;
    private ImageRoots roots;
    private final List<RunningDyno> started = new ArrayList<>();

    @BeforeAll
    static void needsRuncAndBusybox() throws Exception {
        Assumptions.assumeTrue(Drivers.sandboxProblem("runc") == null, "runc tests need root, runc, ip and nft");
        String busybox = TestImages.busyboxProblem();
        Assumptions.assumeTrue(busybox == null, busybox);
    }

    @BeforeEach
    void setUp() throws IOException {
        driver = new RuncDynoDriver("runc", tmp.resolve("agent"), Path.of("/"),
                "test-" + UUID.randomUUID().toString().substring(0, 8), SandboxSettings.defaults());
        images = new TestImages();
        roots = new ImageRoots(tmp.resolve("agent/images/roots"),
                new ImageBlobs(tmp.resolve("agent/images/blobs"), HttpClient.newHttpClient(), Duration.ofSeconds(5)));
    }

    @AfterEach
    void tearDown() {
        for (RunningDyno d : started) d.cleanup();
        driver.close();
        images.close();
        roots.clearAll();
    }

    /** The base layer: busybox and its applets, a passwd with a user and a second uid-0 name, lower entries. */
    private ImageLayer base() throws IOException {
        return images.layer(TestImages.busybox(APPLETS, PASSWD)
                .file("etc/group", "root:x:0:\napp:x:1000:\n").file("etc/lower.txt", "from below")
                .dir("data", 0755, 0).file("data/a", "a").dir("data/sub", 0755, 0).file("data/sub/b", "b")
                .dir("www", 0755, 0).file("www/index.html", "hello from the image\n"), true);
    }

    /** The upper layer, a plain tar: a whiteout, an opaque directory with a new entry, the user's home. */
    private ImageLayer upper() throws IOException {
        return images.layer(new TestImages.Tar().file("etc/.wh.lower.txt", "").file("data/.wh..wh..opq", "")
                .file("data/c", "c").dir("home", 0755, 0).dir("home/app", 0700, 1000)
                .file("home/app/secret", "only app".getBytes(), 0600, 1000), false);
    }

    private ImageRef image(String user, List<String> cmd, String workingDir) throws IOException {
        return TestImages.image(new ImageConfig(user, List.of("GREETING=image", "ONLY_IMAGE=yes"), workingDir, null,
                cmd), base(), upper());
    }

    private final class Dyno {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final RunningDyno running;
        final DynoSpec spec;

        Dyno(String name, String command, ImageRef image) throws Exception {
            this(name, command, image, false);
        }

        Dyno(String name, String command, ImageRef image, boolean tty) throws Exception {
            Path root = roots.rootFor(image);
            SandboxSettings s = SandboxSettings.defaults();
            ImageUser user = ImageUser.resolve(root, image.config().user(), s.uidFrom(), s.uidTo());
            DynoSpec.ImageRun run = new DynoSpec.ImageRun(root, user.uid(), user.gid(), user.home(),
                    image.config().env(), image.config().workingDir(), image.config().defaultCommand());
            spec = new DynoSpec("i" + Long.toHexString(System.nanoTime()), name, command, Map.of("GREETING", "config"),
                    null, Files.createTempDirectory(tmp, "work"), LocalPorts.freePort(), 256L << 20, 64, user.uid(),
                    tty, lines::add, null, List.of(), run);
            running = driver.start(spec);
            started.add(running);
        }

        int exit() throws InterruptedException {
            Integer code = running.waitFor(LONG);
            assertNotNull(code, "the dyno did not exit; output: " + lines);
            return code;
        }
    }

    @Test
    void anImageDynoServesHttpOnPortAsTheImagesUserOnAReadOnlyRoot() throws Exception {
        ImageRef image = image("app", List.of("/bin/sh", "-c", "echo uid=$(id -u) gid=$(id -g); "
                + "touch /x 2>/dev/null && echo root=writable || echo root=read-only; "
                + "touch /tmp/x && echo tmp=writable; echo data=$(ls /data); ls /etc | grep -q lower.txt || "
                + "echo lower=gone; echo env=$GREETING,$ONLY_IMAGE,$PORT,$DYNO,$HOME; cat /home/app/secret; echo; "
                + "echo pwd=$(pwd); exec httpd -f -p $PORT -h /www"), null);
        Dyno web = new Dyno("web.1", null, image); // no command: the image's own entrypoint + cmd
        long deadline = System.nanoTime() + LONG.toNanos();
        while (!PortProbe.accepts("127.0.0.1", web.spec.port())) {
            assertNull(web.running.waitFor(Duration.ofMillis(100)), "the image dyno exited: " + web.lines);
            assertTrue(System.nanoTime() < deadline, "never reachable on $PORT: " + web.lines);
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + web.spec.port() + "/index.html")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals("hello from the image\n", response.body());
        List<String> out = web.lines;
        assertTrue(out.contains("uid=1000 gid=1000"), out.toString());
        assertTrue(out.contains("root=read-only"), out.toString());
        assertTrue(out.contains("tmp=writable"), out.toString());
        assertTrue(out.contains("data=c"), "the opaque directory hides the lower entries: " + out);
        assertTrue(out.contains("lower=gone"), "the whiteout removes the lower file: " + out);
        assertTrue(out.contains("env=config,yes," + web.spec.port() + ",web.1,/home/app"), out.toString());
        assertTrue(out.contains("only app"), "the image's user reads its own 0600 file: " + out);
        assertTrue(out.contains("pwd=/"), out.toString());
    }

    @Test
    void aCommandRunsThroughShInTheImagesWorkingDirectory() throws Exception {
        ImageRef image = image("1000:1000", List.of("/bin/false"), "/www");
        Dyno run = new Dyno("run.1", "echo \"in $(pwd) as $(id -u)\" && ls", image);
        assertEquals(0, run.exit(), run.lines.toString());
        assertTrue(run.lines.contains("in /www as 1000"), run.lines.toString());
        assertTrue(run.lines.contains("index.html"), run.lines.toString());
    }

    @Test
    void aOneOffReadsItsStdinAndATerminalWithoutScriptFallsBackToSh() throws Exception {
        // heroku run bash: the attach path writes the user's keystrokes to the dyno's stdin, as for slugs
        ImageRef image = image("app", List.of("/bin/false"), null);
        Dyno run = new Dyno("run.2", "read line; echo \"got $line as $(id -u) TERM=$TERM\"", image, true);
        run.running.stdin().write("hello\n".getBytes());
        run.running.stdin().flush();
        run.running.stdin().close();
        assertEquals(0, run.exit(), run.lines.toString());
        assertTrue(run.lines.contains("got hello as 1000 TERM=xterm-256color"), run.lines.toString());
    }

    @Test
    void rootIsRefusedByNumberAndByANameThatMapsToIt() throws Exception {
        Path root = roots.rootFor(image("app", List.of("/bin/sh"), null));
        SandboxSettings s = SandboxSettings.defaults();
        for (String user : List.of("0", "0:1000", "toor", "toor:app", "root")) {
            ImageUser.RefusedUser e = assertThrows(ImageUser.RefusedUser.class,
                    () -> ImageUser.resolve(root, user, s.uidFrom(), s.uidTo()), user);
            assertEquals(ImageConfig.ROOT_REFUSED, e.getMessage(), user);
        }
        assertThrows(ImageUser.RefusedUser.class, () -> ImageUser.resolve(root, "nobody-here", s.uidFrom(), s.uidTo()));
        ImageUser.RefusedUser borrowed = assertThrows(ImageUser.RefusedUser.class,
                () -> ImageUser.resolve(root, String.valueOf(s.uidFrom() + 1), s.uidFrom(), s.uidTo()));
        assertTrue(borrowed.getMessage().contains("keeps for its own dyno users"), borrowed.getMessage());
        assertEquals(new ImageUser(1000, 1000, "/home/app"), ImageUser.resolve(root, "app", s.uidFrom(), s.uidTo()));
    }

    @Test
    void aPasswdLinkedOutOfTheImageIsNotFollowed() throws Exception {
        // the host's /etc/passwd names "daemon" (uid 1); the image's link to it must not make that user resolve
        ImageLayer layer = images.layer(new TestImages.Tar().dir("etc", 0755, 0).symlink("etc/passwd", "/etc/passwd")
                .copy("busybox", BUSYBOX), true);
        Path root = roots.rootFor(TestImages.image(new ImageConfig("daemon", List.of(), null, null, List.of("/x")),
                layer));
        SandboxSettings s = SandboxSettings.defaults();
        ImageUser.RefusedUser e = assertThrows(ImageUser.RefusedUser.class,
                () -> ImageUser.resolve(root, "daemon", s.uidFrom(), s.uidTo()));
        assertTrue(e.getMessage().contains("not in its /etc/passwd"), e.getMessage());
    }

    @Test
    void aLayerWithTheWrongDigestIsRefusedAndNotKept() throws Exception {
        String claimed = TestImages.digest("something else entirely".getBytes());
        ImageLayer lying = images.layerClaiming(claimed, new TestImages.Tar().file("x", "x"));
        IOException e = assertThrows(IOException.class,
                () -> roots.rootFor(TestImages.image(new ImageConfig("1000", List.of(), null, null, null), lying)));
        assertTrue(e.getMessage().contains("failed its digest check"), e.getMessage());
        Path blobs = tmp.resolve("agent/images/blobs");
        try (var files = Files.list(blobs)) {
            assertEquals(List.of(), files.toList(), "nothing of the bad download is kept");
        }
        ImageLayer wrongSize = new ImageLayer(lying.digest(), lying.size() - 1, lying.mediaType(), lying.url());
        IOException size = assertThrows(IOException.class,
                () -> roots.rootFor(TestImages.image(new ImageConfig("1000", List.of(), null, null, null), wrongSize)));
        assertTrue(size.getMessage().contains("larger than"), size.getMessage());
    }

    @Test
    void hostileLayersAreRefusedAndNothingLandsOutsideTheRoot() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        ImageLayer link = images.layer(new TestImages.Tar().symlink("etc", outside.toString()), true);
        ImageLayer through = images.layer(new TestImages.Tar().file("etc/evil", "pwned"), true);
        ImageRef escape = TestImages.image(new ImageConfig("1000", List.of(), null, null, null), link, through);
        IOException e = assertThrows(IOException.class, () -> roots.rootFor(escape));
        assertTrue(String.valueOf(e.getMessage()).contains("symlink"), () -> stackTrace(e));
        ImageLayer dotDot = images.layer(new TestImages.Tar().file("../../evil", "pwned"), true);
        ImageRef climb = TestImages.image(new ImageConfig("1000", List.of(), null, null, null), dotDot);
        assertThrows(IOException.class, () -> roots.rootFor(climb));
        try (var files = Files.list(outside)) {
            assertEquals(List.of(), files.toList());
        }
        assertFalse(Files.exists(tmp.resolve("agent/images/evil")));
        String hex = ImageLayer.hex(escape.manifestDigest());
        assertFalse(SizedDisk.isMountPoint(tmp.resolve("agent/images/roots").resolve(hex)), "a refused root is gone");
    }

    @Test
    void theJanitorDeletesRootsAndBlobsNoAssignmentUses() throws Exception {
        ImageRef image = image("app", List.of("/bin/sh"), null);
        Path root = roots.rootFor(image);
        assertTrue(SizedDisk.isMountPoint(root));
        assertEquals(root, roots.rootFor(image), "one root per manifest, reused");
        roots.retainOnly(Set.of(ImageLayer.hex(image.manifestDigest())));
        assertTrue(SizedDisk.isMountPoint(root), "a root in use stays");
        roots.retainOnly(Set.of());
        roots.blobs().retainOnly(Set.of());
        assertFalse(SizedDisk.isMountPoint(root));
        assertFalse(Files.exists(root));
        try (var files = Files.list(tmp.resolve("agent/images/blobs"))) {
            assertEquals(List.of(), files.toList());
        }
    }

    private static String stackTrace(Throwable e) {
        var out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
