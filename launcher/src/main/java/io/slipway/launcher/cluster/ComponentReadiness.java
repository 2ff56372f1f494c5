package io.slipway.launcher.cluster;

import java.time.Duration;

/** Waits until one component of a host answers, failing at once if its process died. */
final class ComponentReadiness {
    static final Duration API_TIMEOUT = Duration.ofMinutes(6);
    static final Duration TIMEOUT = Duration.ofMinutes(4);

    private final ClusterDir dir;
    private final ClusterLayout layout;
    private final ClusterSecrets secrets;
    private final HostProcesses processes;
    private final Readiness readiness;

    ComponentReadiness(ClusterDir dir, ClusterLayout layout, ClusterSecrets secrets, HostProcesses processes,
                       Readiness readiness) {
        this.dir = dir;
        this.layout = layout;
        this.secrets = secrets;
        this.processes = processes;
        this.readiness = readiness;
    }

    /** @param since when the process was started: an agent must have registered or heartbeated after it */
    void await(ClusterHost host, Role role, java.time.Instant since) {
        String what = role.component() + " on " + host.name() + " (" + host.address() + ")";
        java.util.function.Supplier<String> died = () -> processes.alive(host, role) ? null
                : "its process exited; see " + dir.log(host, role);
        switch (role) {
            case POSTGRES -> Readiness.await(what, TIMEOUT, () -> PostgresHost.ready(host, secrets.postgresPassword()), died);
            case OBJECT_STORE -> Readiness.await(what, TIMEOUT,
                    () -> Readiness.tcpOpen(host.address(), ClusterLayout.OBJECT_STORE_PORT), died);
            case API_SERVER -> Readiness.await(what, API_TIMEOUT,
                    () -> readiness.healthy(host.address(), ClusterLayout.API_PORT), died);
            case GIT_GATEWAY -> Readiness.await(what, TIMEOUT,
                    () -> Readiness.tcpOpen(host.address(), ClusterLayout.GIT_SSH_PORT)
                            && Readiness.tcpOpen(host.address(), ClusterLayout.GIT_HTTP_PORT), died);
            case BUILD_WORKER -> Readiness.await(what, TIMEOUT,
                    () -> Readiness.logSays(dir.log(host, role), "build-worker " + host.name() + " started"), died);
            case DYNO_AGENT -> Readiness.await(what, TIMEOUT, () -> Readiness.agentLive(jdbcUrl(), "slipway",
                    secrets.databasePassword(), layout.agentId(host), since), died);
            case ROUTER -> Readiness.await(what, TIMEOUT,
                    () -> Readiness.tcpOpen(host.address(), ClusterLayout.ROUTER_PORT)
                            && Readiness.tcpOpen(host.address(), ClusterLayout.ROUTER_TLS_PORT), died);
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + layout.host("storage").address() + ":" + ClusterLayout.POSTGRES_PORT
                + "/slipway?connectTimeout=2";
    }
}
