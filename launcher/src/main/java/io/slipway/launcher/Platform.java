package io.slipway.launcher;

import io.slipway.launcher.images.BaseImageProvisioning;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole one-machine platform: PostgreSQL, the object store and the apps' PostgreSQL at once while the
 * api-server's context starts (it waits for them before its first connection), then the git-gateway, build-worker,
 * dyno-agent and router at once, then the first admin, env.sh and the state file; stopped in reverse by
 * {@link #close()}. Everything is kept in the data directory,
 * so starting again on it resumes: same database, objects, CA, keys and admin.
 */
public final class Platform implements AutoCloseable {
    static final String POSTGRES_PASSWORD = "postgres-password";
    static final String S3_ACCESS_KEY = "s3-access-key";
    static final String S3_SECRET_KEY = "s3-secret-key";
    /** The config-vars encryption key file (docs/operators.md: back it up apart from the database). */
    static final String SECRETS_KEY = "secrets-key";
    private static final Logger log = LoggerFactory.getLogger(Platform.class);

    private final LauncherConfig config;
    private final DataDir dataDir;
    private final Deque<AutoCloseable> toStop = new ArrayDeque<>();
    private boolean firstRun;
    private String adminApiKey;
    private ConfigurableApplicationContext api;
    private EmbeddedObjectStore.Coordinates s3;
    private LocalCertificateAuthority.TlsFiles tls;
    private volatile boolean closed;
    private int gitSshPort;
    private int routerPort;
    private int routerTlsPort;
    private volatile boolean stopping;
    private final List<String> addonServices = new ArrayList<>();
    private BaseImageProvisioning baseImages;

    private Platform(LauncherConfig config, DataDir dataDir) {
        this.config = config;
        this.dataDir = dataDir;
    }

    public static Platform start(LauncherConfig config) {
        Platform platform = create(config);
        platform.start();
        return platform;
    }

    /** A platform not started yet: lets {@code up} install its shutdown hook before anything runs. */
    public static Platform create(LauncherConfig config) {
        return new Platform(config, DataDir.prepare(config.dataDir()));
    }

    /**
     * Starts every service; on failure stops what had started. A {@link #close()} from another thread (the
     * shutdown hook on Ctrl-C) during the start waits for the current step, so nothing is left running.
     */
    public synchronized void start() {
        try {
            startAll();
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private void startAll() {
        StateFile.live(dataDir.stateFile()).ifPresent(s -> {
            throw new IllegalStateException("Slipway is already running on " + dataDir.root() + " (pid " + s.pid()
                    + ", " + s.url() + ").");
        });
        if (!RememberedPorts.isFree(config.apiPort())) {
            throw new IllegalStateException("Port " + config.apiPort() + " on " + LauncherConfig.HOST
                    + " is in use. Stop what uses it or choose another with --port.");
        }
        firstRun = dataDir.secret(BootstrapAdmin.API_KEY).isEmpty();
        RememberedPorts ports = new RememberedPorts(dataDir.portsFile());
        InternalTokens tokens = InternalTokens.ensure(dataDir);
        // the key config vars are encrypted with at rest: in its own mode-600 file, never in the database
        dataDir.secret(SECRETS_KEY, DataDir::newSecretsKey);

        // everything the services are told is decided first (ports, credentials, certificates), so that they can
        // start at once: the storage on threads of its own while the api-server's Spring context starts here
        String pgPassword = dataDir.secret(POSTGRES_PASSWORD, () -> DataDir.randomToken(24));
        int pgPort = EmbeddedDatabase.port(dataDir.postgres(), ports);
        int s3Port = ports.port("s3");
        s3 = EmbeddedObjectStore.coordinates(s3Port, dataDir.secret(S3_ACCESS_KEY, DataDir::randomAccessKey),
                dataDir.secret(S3_SECRET_KEY, () -> DataDir.randomToken(30)));
        tls = LocalCertificateAuthority.ensure(dataDir.tls());
        Map<String, String> addonSettings = new LinkedHashMap<>();
        AppsPostgres appsPostgres = AppsPostgres.prepare(dataDir, ports).orElse(null);
        if (appsPostgres != null) {
            addonSettings.putAll(appsPostgres.apiServerSettings());
            addonServices.add(appsPostgres.service());
        }
        routerPort = config.routerPort() == 0 ? ports.port("router") : config.routerPort();
        if (!RememberedPorts.isFree(routerPort)) {
            throw new IllegalStateException("Port " + routerPort + " (the router, where apps answer) is in use. Stop what"
                    + " uses it or choose another with --router-port.");
        }
        // HTTPS for apps: a free port picked once and remembered, like the internal ones
        routerTlsPort = ports.port("router-tls");
        int rendezvousPort = ports.port("rendezvous");
        // the internal API's own listener, loopback only: the components below are its only clients
        int internalPort = ports.port("internal");
        String internalUrl = "http://" + LauncherConfig.HOST + ":" + internalPort;
        int gitHttpPort = ports.port("git-http");
        gitSshPort = GitGatewayRunner.sshPort(ports);
        RedisAddons.configure(dataDir).ifPresent(redis -> {
            addonSettings.putAll(redis.properties());
            addonServices.add(redis.serviceRange());
        });

        log.info("Settings ready ({} since the JVM started)", sinceJvmStart());
        StartTogether storage = new StartTogether();
        storage.start("postgres", () -> {
            long t = System.nanoTime();
            EmbeddedDatabase db = EmbeddedDatabase.start(dataDir.postgres(), pgPort, pgPassword,
                    dataDir.logs().resolve("postgres.log"));
            log.info("PostgreSQL ready on {}:{} ({})", LauncherConfig.HOST, db.port(), since(t));
            return db;
        });
        storage.start("object-store", () -> {
            long t = System.nanoTime();
            EmbeddedObjectStore objects = EmbeddedObjectStore.start(dataDir.objects(), s3Port, s3.accessKey(),
                    s3.secretKey());
            log.info("Object store ready at {} ({})", s3.endpoint(), since(t));
            return objects;
        });
        if (appsPostgres != null) {
            storage.start("apps-postgres", () -> {
                long t = System.nanoTime();
                appsPostgres.start(tls);
                log.info("Apps' PostgreSQL ready on {} ({})", appsPostgres.service(), since(t));
                return appsPostgres;
            });
        }
        long t = System.nanoTime();
        ConfigurableApplicationContext started = null;
        RuntimeException apiFailure = null;
        try {
            started = ApiServerRunner.startWeb(config,
                    new ApiServerRunner.Database(EmbeddedDatabase.jdbcUrl(pgPort, EmbeddedDatabase.DATABASE),
                            EmbeddedDatabase.USER, pgPassword), tls, s3, internalPort, tokens.setting(),
                    "http://" + LauncherConfig.HOST + ":" + gitHttpPort, routerPort, rendezvousPort,
                    dataDir.secretFile(SECRETS_KEY), addonSettings, storage.allStarted());
        } catch (RuntimeException e) {
            apiFailure = e;
        }
        // the storage's own failure first: it is why the api-server failed, if it did
        storage.awaitAll(toStop::push);
        if (apiFailure != null) throw apiFailure;
        api = started;
        toStop.push(api);
        checkNotStopping();
        log.info("API server ready at {} ({})", config.publicUrl(), since(t));
        // FROM heroku-24 without a registry: built once into the cache, imported in the background
        baseImages = BaseImageProvisioning.start(internalUrl, tokens.operator(), dataDir.logs().resolve("base-image.log"));
        toStop.push(baseImages);

        // the components need the api-server, not each other
        t = System.nanoTime();
        LocalCertificateAuthority.AppsCertificate appsCert = LocalCertificateAuthority.ensureAppsWildcard(dataDir.tls());
        StartTogether components = new StartTogether();
        components.start("git-gateway", () -> {
            long since = System.nanoTime();
            AutoCloseable gateway;
            try {
                gateway = GitGatewayRunner.start(config, dataDir, gitHttpPort, gitSshPort, tls.caCert(), internalUrl,
                        tokens.gitGateway());
            } catch (Exception e) {
                throw new IllegalStateException("The git-gateway did not start: " + e.getMessage(), e);
            }
            log.info("git-gateway ready: https via {}, ssh on {}:{} ({})", config.publicUrl(), LauncherConfig.HOST,
                    gitSshPort, since(since));
            return gateway;
        });
        components.start("build-worker", () ->
                BuildWorkerRunner.start(dataDir.builds(), tls.caCert(), internalUrl, tokens.buildWorker()).orElse(null));
        components.start("dyno-agent", () -> {
            long since = System.nanoTime();
            AutoCloseable agent = DynoAgentRunner.start(config, dataDir.agent(), tls.caCert(), internalUrl,
                    tokens.agentId(), tokens.agent(), addonServices);
            log.info("dyno-agent ready ({})", since(since));
            return agent;
        });
        components.start("router", () -> {
            long since = System.nanoTime();
            AutoCloseable router = RouterRunner.start(routerPort, routerTlsPort, appsCert, tls.caCert(), internalUrl,
                    tokens.router());
            log.info("router ready: apps answer at http://<app>.localhost:{}/ and https://<app>.localhost:{}/ ({})",
                    routerPort, routerTlsPort, since(since));
            return router;
        });
        components.awaitAll(toStop::push);
        checkNotStopping();
        log.info("components ready ({})", since(t));

        adminApiKey = BootstrapAdmin.ensure(api, dataDir, config.adminEmail());
        EnvFile.write(dataDir, config.publicUrl(), adminApiKey, tls.caCert());
        StateFile.write(dataDir.stateFile(), new StateFile.State(ProcessHandle.current().pid(), config.publicUrl(),
                config.apiPort(), internalUrl, dataDir.secretFile(InternalTokens.OPERATOR).toString(), tls.caCert().toString(),
                Instant.now().toString()));
        toStop.push(() -> StateFile.remove(dataDir.stateFile()));
        log.info("Slipway ready ({} since the JVM started)", sinceJvmStart());
    }

    private static String sinceJvmStart() {
        return ProcessHandle.current().info().startInstant()
                .map(jvm -> String.format("%.1f s", Duration.between(jvm, Instant.now()).toMillis() / 1e3))
                .orElse("?");
    }

    private void checkNotStopping() {
        if (stopping) throw new IllegalStateException("Slipway was stopped while starting.");
    }

    public LauncherConfig config() { return config; }
    public DataDir dataDir() { return dataDir; }
    public boolean firstRun() { return firstRun; }
    public String adminApiKey() { return adminApiKey; }
    public String adminEmail() { return dataDir.secret(BootstrapAdmin.EMAIL).orElse(config.adminEmail()); }
    public EmbeddedObjectStore.Coordinates objectStore() { return s3; }
    public LocalCertificateAuthority.TlsFiles tls() { return tls; }
    /** SSH git: {@code ssh://git@127.0.0.1:<port>/<app>.git}. */
    public int gitSshPort() { return gitSshPort; }
    /** HTTP port of the router: {@code http://<app>.localhost:<port>/}. */
    public int routerPort() { return routerPort; }
    /** HTTPS port of the router: {@code https://<app>.localhost:<port>/} (the apps wildcard from the local CA). */
    public int routerTlsPort() { return routerTlsPort; }
    /**
     * The add-on servers dynos must reach, {@code host:port} each (the apps' PostgreSQL at the host's primary
     * address, the heroku-redis port range as {@code host:first-last}); what the dyno sandbox's {@code SLIPWAY_SANDBOX_SERVICES} should open. Known once started.
     */
    public List<String> addonServices() { return List.copyOf(addonServices); }
    /** The default base image's import (heroku-24, heroku-22), running in the background once started. */
    public BaseImageProvisioning baseImages() { return baseImages; }
    /** The in-process api-server, for operator commands (and acceptance tests) that act as the platform itself. */
    public ConfigurableApplicationContext apiServer() { return api; }

    /**
     * Stops everything that was started, newest first (state file, api-server, object store, PostgreSQL).
     * Called during {@link #start()} from another thread, it first makes the start give up after its current step.
     */
    @Override
    public void close() {
        stopping = true;
        stopAll();
    }

    /** Without the monitor: the shutdown hook asks this while a start may hold it. */
    public boolean isClosed() {
        return closed;
    }

    private synchronized void stopAll() {
        if (closed) return;
        closed = true;
        RuntimeException failure = null;
        while (!toStop.isEmpty()) {
            try {
                toStop.pop().close();
            } catch (Exception e) {
                log.warn("while stopping: {}", e.toString());
                if (failure == null) failure = new IllegalStateException("Slipway did not stop cleanly", e);
            }
        }
        if (failure != null) throw failure;
    }

    private static String since(long startNanos) {
        return String.format("%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }
}
