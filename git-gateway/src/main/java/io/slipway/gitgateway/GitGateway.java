package io.slipway.gitgateway;

import io.slipway.gitgateway.api.ApiClient;
import io.slipway.gitgateway.api.GitAccessClient;
import io.slipway.shared.fs.TreeDelete;
import io.slipway.shared.http.TrustedHttpClients;
import io.slipway.shared.internalapi.InternalTransport;
import io.slipway.gitgateway.deploy.BuildClient;
import io.slipway.gitgateway.deploy.Deployer;
import io.slipway.gitgateway.deploy.PlatformBuildClient;
import io.slipway.gitgateway.http.GitHttpServer;
import io.slipway.gitgateway.push.Pushes;
import io.slipway.gitgateway.repos.RepositoryStore;
import io.slipway.gitgateway.ssh.GitSshServer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The git-gateway: git smart HTTP (behind the api-server's TLS front door) and SSH, both serving pushes that
 * become builds and fetches of an app's repository. Holds no state of its own beyond scratch space: access
 * decisions, push locks and repository URLs come from the api-server, repositories from object storage.
 * Start it from {@link GitGatewayMain} or in-process (the launcher) with {@link #start()} / {@link #stop()}.
 */
public final class GitGateway implements AutoCloseable {
    private static final System.Logger log = System.getLogger(GitGateway.class.getName());
    private final GitGatewayConfig config;
    private final Function<ApiClient, BuildClient> buildClient;
    private ScheduledExecutorService scheduler;
    private ExecutorService commands;
    private GitHttpServer http;
    private GitSshServer ssh;

    public GitGateway(GitGatewayConfig config) {
        this(config, PlatformBuildClient::new);
    }

    /** With another way to run builds (tests script the build service; never the gateway itself). */
    public GitGateway(GitGatewayConfig config, Function<ApiClient, BuildClient> buildClient) {
        this.config = config;
        this.buildClient = buildClient;
    }

    public synchronized void start() throws Exception {
        if (http != null) throw new IllegalStateException("already started");
        Path repos = config.workDir().resolve("repos");
        cleanWorkDir(repos);
        Files.createDirectories(repos);
        // one client for the api-server and presigned storage URLs; storage redirects are never followed
        HttpClient httpClient = TrustedHttpClients.builder(config.apiCaFile()).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        ApiClient apiClient = new ApiClient(config.apiUrl(), httpClient);
        GitAccessClient api = new GitAccessClient(new InternalTransport(config.internalApiUrl(), config.internalToken(),
                httpClient, ApiClient.USER_AGENT), apiClient);
        RepositoryStore store = new RepositoryStore(api, httpClient, repos);
        Deployer deployer = new Deployer(buildClient.apply(apiClient), () -> store.scratchFile("source-", ".tgz"));
        scheduler = Executors.newSingleThreadScheduledExecutor(daemon("git-gateway-locks"));
        commands = Executors.newCachedThreadPool(daemon("git-gateway-ssh"));
        Pushes pushes = new Pushes(api, store, deployer, scheduler, config.nodeId(), config.maxPackBytes());
        try {
            http = new GitHttpServer(config.httpBind(), config.httpPort(), config.workDir().resolve("tomcat"), api, pushes);
            http.start();
            ssh = new GitSshServer(config.sshBind(), config.sshPort(), config.hostKey(), api, pushes, commands);
            ssh.start();
        } catch (Exception e) {
            stop();
            throw e;
        }
        log.log(System.Logger.Level.INFO, "git-gateway: HTTP on " + config.httpBind() + ":" + httpPort() + ", SSH on "
                + config.sshBind() + ":" + sshPort() + ", api " + config.apiUrl() + ", internal api " + config.internalApiUrl());
    }

    public int httpPort() {
        return http.port();
    }

    public int sshPort() {
        return ssh.port();
    }

    public synchronized void stop() {
        try {
            if (ssh != null) ssh.stop();
        } catch (IOException e) {
            log.log(System.Logger.Level.WARNING, "stopping SSH: " + e.getMessage());
        }
        try {
            if (http != null) http.stop();
        } catch (Exception e) {
            log.log(System.Logger.Level.WARNING, "stopping HTTP: " + e.getMessage());
        }
        if (scheduler != null) scheduler.shutdownNow();
        if (commands != null) commands.shutdownNow();
        ssh = null;
        http = null;
        scheduler = null;
        commands = null;
    }

    @Override
    public void close() {
        stop();
    }

    /** Copies left by a gateway that died mid-request; their pushes already failed or their locks expired. */
    private static void cleanWorkDir(Path repos) throws IOException {
        if (!Files.isDirectory(repos)) return;
        try (Stream<Path> s = Files.list(repos)) {
            for (Path p : s.toList()) TreeDelete.deleteOrThrow(p); // pushed trees: no link followed
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
