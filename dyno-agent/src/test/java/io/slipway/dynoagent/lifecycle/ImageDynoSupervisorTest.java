package io.slipway.dynoagent.lifecycle;

import static io.slipway.dynoagent.support.StubApiServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.dynoagent.config.AgentConfig;
import io.slipway.dynoagent.drivers.ProcessDynoDriver;
import io.slipway.dynoagent.images.ImageRoots;
import io.slipway.dynoagent.slugs.SlugCache;
import io.slipway.shared.testing.ScratchDirs;
import io.slipway.dynoagent.support.StubApiServer;
import io.slipway.dynoagent.support.TestAgents;
import io.slipway.dynoagent.support.TestImages;
import io.slipway.shared.agents.AgentsClient;
import io.slipway.shared.agents.Assignment;
import io.slipway.shared.images.ImageConfig;
import io.slipway.shared.images.ImageRef;
import io.slipway.shared.internalapi.InternalTransport;
import io.slipway.shared.logs.LogShipper;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Image dynos through the agent's own path: an assignment with {@code "slug": null} and an {@code image} (the
 * internal API's shape) is fetched, unpacked and started by the supervisor, reported up and logged; a user that
 * resolves to root crashes the dyno with {@link ImageConfig#ROOT_REFUSED} in its log; an agent on the process
 * driver says clearly that it cannot run images.
 */
class ImageDynoSupervisorTest {
    private static final String PASSWD = "root:x:0:0:root:/root:/bin/sh\nweb:x:1000:1000::/:/bin/sh\n"
            + "admin:x:0:0::/:/bin/sh\n";
    // not @TempDir: JUnit deletes through a mount a failed close left (a slug, a volume) and fails the test
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();
    final Path tmp = scratch.create("slipway-image-dyno");
    StubApiServer api;
    AgentConfig config;
    LogShipper logs;
    TestImages images;
    final List<DynoSupervisor> supervisors = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        String busybox = TestImages.busyboxProblem();
        Assumptions.assumeTrue(busybox == null, busybox);
        api = new StubApiServer();
        config = TestAgents.config(api, tmp.resolve("data"));
        logs = new LogShipper(config.apiUrl(), config.internalToken(), HttpClient.newHttpClient());
        images = new TestImages();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (DynoSupervisor s : supervisors) {
            s.shutdown();
            s.awaitFinished(Duration.ofSeconds(60));
        }
        if (logs != null) logs.close();
        if (api != null) api.close();
        if (images != null) images.close();
        ImageRoots.under(config == null ? tmp : config.dataDir(), HttpClient.newHttpClient()).clearAll();
    }

    private DynoContext context(io.slipway.dynoagent.drivers.DynoDriver driver) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        return new DynoContext(config, driver, new SlugCache(config.dataDir().resolve("slugs"), http),
                new PortAllocator(config.portFrom(), config.portTo()),
                new AgentsClient(new InternalTransport(config.apiUrl(), config.internalToken(), http), config.agentId()), logs,
                SSLContext.getDefault(), ImageRoots.under(config.dataDir(), http));
    }

    private Map<String, Object> assignment(String user, String command) throws Exception {
        ImageRef image = TestImages.image(new ImageConfig(user, List.of("FROM_IMAGE=yes"), null, null,
                List.of("/bin/sh", "-c", "echo \"$GREETING as $(id -u)\"; exec httpd -f -p $PORT -h /")),
                images.layer(TestImages.busybox(List.of("sh", "id", "httpd"), PASSWD), true));
        Map<String, Object> a = TestAgents.assignment("web.1", command, null, null);
        a.put("slug", null);
        a.put("image", image.toJson());
        return a;
    }

    private DynoSupervisor start(DynoContext ctx, Map<String, Object> assignment) {
        DynoSupervisor s = new DynoSupervisor(Assignment.parse(assignment), ctx, x -> { });
        supervisors.add(s);
        s.start();
        return s;
    }

    private boolean runc() {
        return io.slipway.dynoagent.drivers.Drivers.sandboxProblem("runc") == null;
    }

    @Test
    void anImageAssignmentRunsTheImagesDefaultCommandAndComesUp() throws Exception {
        Assumptions.assumeTrue(runc(), "image dynos need the runc driver (root, runc, ip, nft)");
        Map<String, Object> a = assignment("web", null);
        assertNull(Assignment.parse(a).slug());
        String id = (String) a.get("dyno_id");
        start(context(TestAgents.driver(config)), a);
        await("up", v -> api.states(id).contains("up"));
        await("the app's line", v -> api.messages("app", "web.1").contains("hello as 1000"));
        assertTrue(api.messages("heroku", "web.1").contains("Starting process with command `/bin/sh -c echo "
                + "\"$GREETING as $(id -u)\"; exec httpd -f -p $PORT -h /`"), api.messages("heroku", "web.1").toString());
    }

    @Test
    void aNameThatResolvesToRootCrashesTheDynoWithTheRefusal() throws Exception {
        Assumptions.assumeTrue(runc(), "image dynos need the runc driver (root, runc, ip, nft)");
        Map<String, Object> a = assignment("admin", null);
        String id = (String) a.get("dyno_id");
        start(context(TestAgents.driver(config)), a);
        await("the refusal in the log", v -> api.messages("heroku", "web.1")
                .contains("Error: cannot run the image: " + ImageConfig.ROOT_REFUSED));
        await("crashed", v -> api.states(id).contains("crashed"));
        assertFalse(api.states(id).contains("up"));
    }

    @Test
    void theProcessDriverRefusesImageDynosClearly() throws Exception {
        Map<String, Object> a = assignment("web", "echo never");
        ProcessDynoDriver driver = new ProcessDynoDriver();
        start(context(driver), a);
        await("the refusal in the log", v -> api.messages("heroku", "web.1").contains(
                "Error: cannot run the image: " + driver.imageProblem()));
        assertEquals(false, driver.runsImages());
    }
}
