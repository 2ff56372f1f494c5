package io.slipway.launcher.cluster;

import io.slipway.launcher.EnvFile;
import io.slipway.launcher.InternalUsersClient;
import io.slipway.launcher.LocalCertificateAuthority;
import io.slipway.launcher.PrivateFiles;
import io.slipway.launcher.RememberedPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cluster up}: the network, secrets, CA and env files, then the hosts in the order an operator starts them
 * (docs/operators.md): storage, the balancer, the api-servers, the first administrator, then the git-gateway,
 * build-workers, dyno-agents and routers; returns once every component answers, leaving them running. On any
 * failure everything made so far is removed again.
 */
final class ClusterUp {
    static final String ADMIN_API_KEY = "admin-api-key";
    static final String ADMIN_EMAIL = "admin@slipway.local";
    private static final Logger log = LoggerFactory.getLogger(ClusterUp.class);
    /** How long the balancer may take to mark a backend's servers up once they answer (checks every second). */
    private static final Duration BALANCER_WAIT = Duration.ofSeconds(30);

    private ClusterUp() {}

    static Cluster run(Path home, ClusterDir dir, int agents) {
        String missing = ClusterHome.missing();
        if (missing != null) throw new IllegalStateException("cannot run a cluster on this machine: " + missing);
        if (Files.exists(dir.layoutFile())) {
            throw new IllegalStateException("a cluster already runs in " + dir.root() + " (./slipway cluster down --dir "
                    + dir.root() + " first)");
        }
        // what a cluster that failed or was killed left (never a directory that is not a cluster's)
        if (dir.looksUsedForSomethingElse()) {
            throw new IllegalStateException(dir.root() + " is not empty and holds no cluster: choose a new --dir");
        }
        ClusterDown.removeData(dir);
        dir.create();
        ClusterLayout layout = ClusterAllocation.allocate(agents, l -> {
            try {
                ClusterNetwork.create(l);
            } catch (RuntimeException e) {
                ClusterNetwork.remove(l);
                throw e;
            }
        });
        ClusterState state = new ClusterState(layout, RememberedPorts.freePort(), RememberedPorts.freePort(),
                RememberedPorts.freePort(), RememberedPorts.freePort());
        state.write(dir.layoutFile());
        try {
            ClusterNetwork.publicUrlOnHosts(layout, state.apiPort());
            return start(home, dir, state);
        } catch (RuntimeException | Error e) {
            log.error("cluster up failed ({}); removing what was started. Logs stay in {}", e.getMessage(), dir.logs());
            try {
                ClusterDown.run(dir);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static Cluster start(Path home, ClusterDir dir, ClusterState state) {
        ClusterLayout layout = state.layout();
        long t0 = System.nanoTime();
        ClusterSecrets secrets = new ClusterSecrets(dir, layout);
        // the replicas' certificate names the addresses clients reach them at: 127.0.0.1 (the front door), the
        // balancer's private side, and each replica's own (heroku run's rendezvous)
        List<String> ips = List.of(layout.gateway(), layout.host("api-1").address(), layout.host("api-2").address());
        LocalCertificateAuthority.TlsFiles tls = LocalCertificateAuthority.ensure(dir.tls(), ips, List.of(layout.cidr()));
        ClusterHost storage = layout.host("storage");
        ObjectStoreHost.writeProperties(dir, storage, secrets.s3AccessKey(), secrets.s3SecretKey());
        // the routers terminate the apps' HTTPS with the platform's wildcard certificate (custom domains: SNI endpoints)
        LocalCertificateAuthority.AppsCertificate appsCert = LocalCertificateAuthority.ensureAppsWildcard(dir.tls());
        new ClusterEnv(home, dir, state, secrets, tls, appsCert).writeAll();
        Cluster cluster = new Cluster(home, dir, state);
        HostProcesses processes = new HostProcesses(home, dir, layout);
        ComponentReadiness readiness = new ComponentReadiness(dir, layout, secrets, processes,
                new Readiness(tls.caCert()));

        ClusterHost addonsDb = layout.host(ClusterLayout.ADDONS_DB);
        PostgresHost.init(dir, storage, layout, secrets.postgresPassword());
        PostgresHost.initAddons(dir, addonsDb, layout, secrets.postgresPassword());
        startAll(processes, readiness, List.of(new Step(storage, Role.POSTGRES), new Step(storage, Role.OBJECT_STORE),
                new Step(addonsDb, Role.POSTGRES)));
        PostgresHost.createPlatformDatabase(storage, secrets.postgresPassword(), secrets.databasePassword());
        log.info("storage ready at {} ({})", storage.address(), since(t0));

        FrontDoor.start(home, dir, state, tls.caCert());
        startAll(processes, readiness, steps(layout, Role.API_SERVER));
        // the first request through the balancer (the administrator, below) must not race its health checks
        FrontDoor.awaitBackendUp(dir, "internal", BALANCER_WAIT);
        FrontDoor.awaitBackendUp(dir, "api", BALANCER_WAIT);
        log.info("api-servers ready ({})", since(t0));

        String adminKey = dir.secret(ADMIN_API_KEY, () -> new InternalUsersClient(cluster.internalUrl(), secrets.operatorToken())
                .create(ADMIN_EMAIL, dir.secret("admin-password", () -> ClusterDir.randomHex(12)), true));

        List<Step> rest = new ArrayList<>();
        for (Role role : List.of(Role.GIT_GATEWAY, Role.BUILD_WORKER, Role.DYNO_AGENT, Role.ROUTER)) rest.addAll(steps(layout, role));
        startAll(processes, readiness, rest);
        for (String backend : List.of("routers", "routers_tls", "rendezvous", "ssh")) FrontDoor.awaitBackendUp(dir, backend, BALANCER_WAIT);
        PrivateFiles.write(dir.envSh(), EnvFile.render(dir.envSh(), state.apiUrl(), adminKey, tls.caCert()));
        log.info("cluster {} up on {} ({})", layout.id(), layout.cidr(), since(t0));
        return cluster;
    }

    private record Step(ClusterHost host, Role role) {}

    private static List<Step> steps(ClusterLayout layout, Role role) {
        return layout.hostsRunning(role).stream().map(h -> new Step(h, role)).toList();
    }

    /** Starts the processes together and waits until each answers (2 cores: the JVMs start in parallel anyway). */
    private static void startAll(HostProcesses processes, ComponentReadiness readiness, List<Step> steps) {
        Instant since = Instant.now();
        for (Step s : steps) processes.start(s.host(), s.role());
        ExecutorService pool = Executors.newFixedThreadPool(steps.size());
        try {
            List<Future<?>> waits = new ArrayList<>();
            for (Step s : steps) waits.add(pool.submit(() -> readiness.await(s.host(), s.role(), since)));
            for (Future<?> f : waits) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) throw re;
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String since(long t0) {
        return String.format("%.1f s", (System.nanoTime() - t0) / 1e9);
    }
}
