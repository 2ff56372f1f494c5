package io.slipway.launcher.cluster;

import io.slipway.launcher.LocalCertificateAuthority;
import io.slipway.launcher.PrivateFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes each host's env file from {@code deploy/<component>.env.example}, filled in with this cluster's
 * addresses, ports, tokens and paths: what an operator writes to {@code /etc/slipway/<component>.env}.
 */
final class ClusterEnv {
    static final String SMALL_HEAP = "-Xmx160m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";
    // no TieredStopAtLevel=1 for the api-servers: password logins run PBKDF2, whose SHA-256 intrinsics only the C2
    // compiler uses; under C1 alone `heroku login -i` took longer than the CLI waits
    static final String API_HEAP = "-Xmx384m -XX:+UseSerialGC";
    /** Debian's redis-server (launcher/scripts/install-packages.sh installs it in every mode). */
    static final Path REDIS_SERVER = Path.of("/usr/bin/redis-server");

    private final Path home;
    private final ClusterDir dir;
    private final ClusterState state;
    private final ClusterSecrets secrets;
    private final LocalCertificateAuthority.TlsFiles tls;
    private final LocalCertificateAuthority.AppsCertificate appsCert;

    ClusterEnv(Path home, ClusterDir dir, ClusterState state, ClusterSecrets secrets, LocalCertificateAuthority.TlsFiles tls,
               LocalCertificateAuthority.AppsCertificate appsCert) {
        this.home = home;
        this.dir = dir;
        this.state = state;
        this.secrets = secrets;
        this.tls = tls;
        this.appsCert = appsCert;
    }

    void writeAll() {
        for (ClusterHost host : state.layout().hosts()) {
            for (Role role : host.roles()) {
                if (role == Role.POSTGRES) continue;
                Path example = home.resolve("deploy").resolve(role.component() + ".env.example");
                // s3proxy stands in for the operator's own object store: it has no example of its own
                String text = role == Role.OBJECT_STORE ? render(settings(host, role))
                        : EnvTemplate.render(example, settings(host, role));
                PrivateFiles.write(dir.envFile(host, role), text);
            }
        }
    }

    private static String render(Map<String, String> settings) {
        StringBuilder b = new StringBuilder("# s3proxy, the storage host's object store (./slipway cluster)\n");
        settings.forEach((k, v) -> b.append(k).append('=').append(EnvTemplate.quote(v)).append('\n'));
        return b.toString();
    }

    private Map<String, String> settings(ClusterHost host, Role role) {
        ClusterLayout l = state.layout();
        String storage = l.host("storage").address();
        String addonsDb = l.host(ClusterLayout.ADDONS_DB).address();
        // the platform's private network, for builds and dynos: this cluster's /24 and, since clusters side by side
        // share the machine's root namespace (each balancer's private side on its bridge there), every cluster's
        String denied = ClusterAllocation.POOL.toString();
        String internalUrl = "http://" + l.gateway() + ":" + ClusterLayout.INTERNAL_PORT;
        Map<String, String> s = new LinkedHashMap<>();
        s.put("SLIPWAY_LIB", home.resolve("launcher/target/lib").toString());
        String testClassPath = ClusterHome.testClassPath();
        if (testClassPath != null) s.put("SLIPWAY_CLASSPATH", testClassPath);
        s.put("SLIPWAY_JAVA_OPTS", role == Role.API_SERVER ? API_HEAP : SMALL_HEAP);
        Path data = dir.host(host);
        switch (role) {
            case OBJECT_STORE -> s.put("SLIPWAY_OBJECT_STORE_PROPERTIES", ObjectStoreHost.propertiesFile(dir, host).toString());
            case API_SERVER -> {
                s.put("SPRING_DATASOURCE_URL", "jdbc:postgresql://" + storage + ":" + ClusterLayout.POSTGRES_PORT + "/slipway");
                s.put("SPRING_DATASOURCE_USERNAME", "slipway");
                s.put("SPRING_DATASOURCE_PASSWORD", secrets.databasePassword());
                s.put("SLIPWAY_PUBLIC_URL", state.apiUrl());
                s.put("SLIPWAY_APPS_DOMAIN", "localhost");
                s.put("SLIPWAY_APPS_SCHEME", "http");
                s.put("SLIPWAY_APPS_PORT", String.valueOf(state.appsPort()));
                s.put("SLIPWAY_INTERNAL_BIND", host.address());
                s.put("SLIPWAY_INTERNAL_PORT", String.valueOf(ClusterLayout.INTERNAL_PORT));
                s.put("SLIPWAY_INTERNAL_TOKENS", secrets.internalTokensSetting());
                s.put("SLIPWAY_SECRETS_KEY_FILE", secrets.secretsKeyFile().toString());
                // Tomcat's base and document root: the host's own, not a /tmp/tomcat.* at every start
                s.put("SLIPWAY_WORK_DIR", data.resolve("api-server").toString());
                s.put("SERVER_ADDRESS", host.address());
                s.put("SERVER_PORT", String.valueOf(ClusterLayout.API_PORT));
                s.put("SERVER_SSL_CERTIFICATE", "file:" + tls.serverCert());
                s.put("SERVER_SSL_CERTIFICATE_PRIVATE_KEY", "file:" + tls.serverKey());
                s.put("SLIPWAY_S3_ENDPOINT", "http://" + storage + ":" + ClusterLayout.OBJECT_STORE_PORT);
                s.put("SLIPWAY_S3_BUCKET", "slipway");
                s.put("SLIPWAY_S3_ACCESS_KEY", secrets.s3AccessKey());
                s.put("SLIPWAY_S3_SECRET_KEY", secrets.s3SecretKey());
                s.put("SLIPWAY_S3_REGION", "us-east-1");
                s.put("SLIPWAY_GIT_GATEWAY_URL", "http://" + l.host("git").address() + ":" + ClusterLayout.GIT_HTTP_PORT);
                s.put("SLIPWAY_RENDEZVOUS_PORT", String.valueOf(ClusterLayout.RENDEZVOUS_PORT));
                // heroku run: the CLI and the dyno both connect to the balancer's rendezvous front, which may send
                // them to different replicas; the first to arrive claims the session, the other replica relays the
                // second half to it at its own address (docs/operators.md, "Several api-server replicas")
                s.put("SLIPWAY_RENDEZVOUS_PUBLIC_HOST", l.gateway());
                s.put("SLIPWAY_RENDEZVOUS_PUBLIC_PORT", String.valueOf(ClusterLayout.RENDEZVOUS_PORT));
                s.put("SLIPWAY_RENDEZVOUS_RELAY_ADDRESS", host.address());
                // heroku-postgresql add-ons on their own server, apart from the platform's (docs/addons.md, operators)
                s.put("SLIPWAY_ADDONS_POSTGRES_ADMIN_URL", "jdbc:postgresql://" + addonsDb + ":" + ClusterLayout.POSTGRES_PORT + "/postgres");
                s.put("SLIPWAY_ADDONS_POSTGRES_ADMIN_USER", "postgres");
                s.put("SLIPWAY_ADDONS_POSTGRES_ADMIN_PASSWORD", secrets.postgresPassword());
                s.put("SLIPWAY_ADDONS_POSTGRES_PUBLIC_HOST", addonsDb);
                s.put("SLIPWAY_ADDONS_POSTGRES_PUBLIC_PORT", String.valueOf(ClusterLayout.POSTGRES_PORT));
                s.put("SLIPWAY_ADDONS_POSTGRES_BIN_DIR", PostgresHost.BIN.toString());
                // heroku-redis: every replica records add-ons, api-1 runs their redis-server processes. All the
                // namespaces share the machine's host name, so each replica is named explicitly (REPLICA_ID), as
                // on hosts whose names do not tell them apart
                ClusterHost redisHost = l.host(ClusterLayout.REDIS_HOST);
                s.put("SLIPWAY_ADDONS_REDIS_SERVER_BINARY", REDIS_SERVER.toString());
                s.put("SLIPWAY_ADDONS_REDIS_DATA_DIR", data.resolve("addons-redis").toString());
                s.put("SLIPWAY_ADDONS_REDIS_PUBLIC_HOST", redisHost.address());
                s.put("SLIPWAY_ADDONS_REDIS_FIRST_PORT", String.valueOf(ClusterLayout.REDIS_FIRST_PORT));
                s.put("SLIPWAY_ADDONS_REDIS_LAST_PORT", String.valueOf(ClusterLayout.REDIS_LAST_PORT));
                s.put("SLIPWAY_ADDONS_REDIS_HOST_ID", redisHost.name());
                s.put("SLIPWAY_ADDONS_REDIS_REPLICA_ID", host.name());
                s.put("SLIPWAY_ADDONS_REDIS_UID_BASE", String.valueOf(ClusterLayout.REDIS_UID_BASE));
            }
            case GIT_GATEWAY -> {
                // the Builds API through the balancer's private side, whose certificate names that address
                s.put("SLIPWAY_API_URL", "https://" + l.gateway() + ":" + ClusterLayout.API_PORT);
                s.put("SLIPWAY_INTERNAL_API_URL", internalUrl);
                s.put("SLIPWAY_INTERNAL_TOKEN", secrets.token(host));
                s.put("SLIPWAY_API_CA_FILE", tls.caCert().toString());
                s.put("SLIPWAY_GIT_HTTP_PORT", String.valueOf(ClusterLayout.GIT_HTTP_PORT));
                s.put("SLIPWAY_GIT_HTTP_BIND", host.address());
                s.put("SLIPWAY_GIT_SSH_PORT", String.valueOf(ClusterLayout.GIT_SSH_PORT));
                s.put("SLIPWAY_GIT_SSH_BIND", host.address());
                s.put("SLIPWAY_GIT_HOST_KEY", data.resolve("ssh_host_ed25519_key").toString());
                s.put("SLIPWAY_GIT_WORK_DIR", data.resolve("git-work").toString());
            }
            case BUILD_WORKER -> {
                s.put("SLIPWAY_INTERNAL_API_URL", internalUrl);
                s.put("SLIPWAY_INTERNAL_TOKEN", secrets.token(host));
                s.put("SLIPWAY_CA_FILE", tls.caCert().toString());
                s.put("SLIPWAY_WORKER_ID", host.name());
                s.put("SLIPWAY_BUILD_ROOT", data.resolve("builds").toString());
                s.put("SLIPWAY_BUILD_DENY_CIDRS", denied);
                s.put("SLIPWAY_BUILD_MEMORY_MB", "1024");
                s.put("SLIPWAY_BUILD_DISK_MB", "2048");
                s.put("SLIPWAY_CLAIM_INTERVAL_SECONDS", "1");
            }
            case DYNO_AGENT -> {
                s.put("SLIPWAY_INTERNAL_API_URL", internalUrl);
                s.put("SLIPWAY_AGENT_ID", l.agentId(host));
                s.put("SLIPWAY_INTERNAL_TOKEN", secrets.token(host));
                s.put("SLIPWAY_CA_FILE", tls.caCert().toString());
                s.put("SLIPWAY_AGENT_HOST", host.address());
                s.put("SLIPWAY_DYNO_DENY_CIDRS", denied);
                // the add-on servers dynos may reach although they are on the cluster's network
                // (the apps' PostgreSQL server, the Redis instances' range on api-1: nothing else of those hosts, and
                // never the platform's own database on storage)
                s.put("SLIPWAY_SANDBOX_SERVICES", addonsDb + ":" + ClusterLayout.POSTGRES_PORT + "," + l.redisService());
                s.put("SLIPWAY_AGENT_DATA_DIR", data.resolve("agent").toString());
                s.put("SLIPWAY_AGENT_MEMORY_MB", "4096");
                s.put("SLIPWAY_AGENT_DRIVER", "runc");
            }
            case ROUTER -> {
                s.put("SLIPWAY_INTERNAL_API_URL", internalUrl);
                s.put("SLIPWAY_INTERNAL_TOKEN", secrets.token(host));
                s.put("SLIPWAY_CA_FILE", tls.caCert().toString());
                s.put("SLIPWAY_ROUTER_BIND", host.address());
                s.put("SLIPWAY_ROUTER_PORT", String.valueOf(ClusterLayout.ROUTER_PORT));
                s.put("SLIPWAY_ROUTER_THREADS", "2");
                // HTTPS, passed through by the balancer (TCP): TLS ends here, so X-Forwarded-Proto is https
                s.put("SLIPWAY_ROUTER_TLS_PORT", String.valueOf(ClusterLayout.ROUTER_TLS_PORT));
                s.put("SLIPWAY_ROUTER_TLS_CERT_FILE", appsCert.chain().toString());
                s.put("SLIPWAY_ROUTER_TLS_KEY_FILE", appsCert.key().toString());
                // clients reach HTTPS on the balancer's port, not the router's: https-only apps redirect there
                s.put("SLIPWAY_ROUTER_TLS_PUBLIC_PORT", String.valueOf(state.appsTlsPort()));
                // only the balancer reaches the routers, and it sends the client's address first (send-proxy-v2 in
                // deploy/haproxy/slipway.cfg): X-Forwarded-For shows the client, not the balancer
                s.put("SLIPWAY_ROUTER_PROXY_PROTOCOL", "v2");
            }
            case POSTGRES -> throw new IllegalArgumentException("PostgreSQL has no env file");
        }
        return s;
    }
}
