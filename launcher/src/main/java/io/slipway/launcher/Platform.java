package io.slipway.launcher;

import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole one-machine platform, started in order (PostgreSQL, object store, CA, api-server, first admin,
 * env.sh, state file) and stopped in reverse by {@link #close()}. Everything is kept in the data directory,
 * so starting again on it resumes: same database, objects, CA, keys and admin.
 */
public final class Platform implements AutoCloseable {
    static final String INTERNAL_TOKEN = "internal-token";
    static final String POSTGRES_PASSWORD = "postgres-password";
    static final String S3_ACCESS_KEY = "s3-access-key";
    static final String S3_SECRET_KEY = "s3-secret-key";
    private static final Logger log = LoggerFactory.getLogger(Platform.class);

    private final LauncherConfig config;
    private final DataDir dataDir;
    private final Deque<AutoCloseable> toStop = new ArrayDeque<>();
    private boolean firstRun;
    private String adminApiKey;
    private ConfigurableApplicationContext api;
    private EmbeddedObjectStore.Coordinates s3;
    private LocalCertificateAuthority.TlsFiles tls;
    private boolean closed;

    private Platform(LauncherConfig config, DataDir dataDir) {
        this.config = config;
        this.dataDir = dataDir;
    }

    public static Platform start(LauncherConfig config) {
        DataDir dir = DataDir.prepare(config.dataDir());
        Platform platform = new Platform(config, dir);
        try {
            platform.startAll();
        } catch (RuntimeException | Error e) {
            platform.close();
            throw e;
        }
        return platform;
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
        String internalToken = dataDir.secret(INTERNAL_TOKEN, () -> DataDir.randomToken(32));

        long t = System.nanoTime();
        EmbeddedDatabase db = EmbeddedDatabase.start(dataDir.postgres(), ports.port("postgres"),
                dataDir.secret(POSTGRES_PASSWORD, () -> DataDir.randomToken(24)),
                dataDir.logs().resolve("postgres.log"));
        toStop.push(db);
        log.info("PostgreSQL ready on {}:{} ({})", LauncherConfig.HOST, db.port(), since(t));

        t = System.nanoTime();
        EmbeddedObjectStore objects = EmbeddedObjectStore.start(dataDir.objects(), ports.port("s3"),
                dataDir.secret(S3_ACCESS_KEY, DataDir::randomAccessKey),
                dataDir.secret(S3_SECRET_KEY, () -> DataDir.randomToken(30)));
        toStop.push(objects);
        s3 = objects.coordinates();
        log.info("Object store ready at {} ({})", s3.endpoint(), since(t));

        tls = LocalCertificateAuthority.ensure(dataDir.tls());

        t = System.nanoTime();
        api = ApiServerRunner.startWeb(config, db, tls, s3, internalToken);
        toStop.push(api);
        log.info("API server ready at {} ({})", config.publicUrl(), since(t));

        adminApiKey = BootstrapAdmin.ensure(api, dataDir, config.adminEmail());
        EnvFile.write(dataDir, config.publicUrl(), adminApiKey, tls.caCert());
        StateFile.write(dataDir.stateFile(), new StateFile.State(ProcessHandle.current().pid(), config.publicUrl(),
                config.apiPort(), dataDir.secretFile(INTERNAL_TOKEN).toString(), tls.caCert().toString(),
                Instant.now().toString()));
        toStop.push(() -> StateFile.remove(dataDir.stateFile()));
    }

    public LauncherConfig config() { return config; }
    public DataDir dataDir() { return dataDir; }
    public boolean firstRun() { return firstRun; }
    public String adminApiKey() { return adminApiKey; }
    public String adminEmail() { return dataDir.secret(BootstrapAdmin.EMAIL).orElse(config.adminEmail()); }
    public EmbeddedObjectStore.Coordinates objectStore() { return s3; }
    public LocalCertificateAuthority.TlsFiles tls() { return tls; }
    public ConfigurableApplicationContext apiServer() { return api; }

    /** Stops everything that was started, newest first (state file, api-server, object store, PostgreSQL). */
    @Override
    public synchronized void close() {
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

    public boolean isRunning() {
        return !closed && Files.exists(dataDir.stateFile());
    }

    private static String since(long startNanos) {
        return String.format("%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }
}
