package io.slipway.api;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything the api-server can be told, in one place. Bound from {@code slipway.*} properties, so
 * from environment variables too: {@code SLIPWAY_APPS_DOMAIN}, {@code SLIPWAY_PUBLIC_URL},
 * {@code SLIPWAY_INTERNAL_TOKENS}, {@code SLIPWAY_RATE_LIMIT_PER_HOUR}... The database comes from the
 * standard {@code SPRING_DATASOURCE_URL/USERNAME/PASSWORD}.
 *
 * @param publicUrl       the URL users reach the API (and git over HTTPS) at; {@code git_url} is built from it
 * @param appsDomain      apps answer at {@code <app>.<appsDomain>}
 * @param appsScheme      scheme of {@code web_url} (the router serves plain HTTP by default)
 * @param appsPort        port of {@code web_url}, or 0 when it is the scheme's default
 * @param internal        the internal API's own listener and the components' tokens ({@code slipway.internal.*})
 * @param rateLimitPerHour size of each account's token bucket, refilled over an hour
 * @param defaultStack    stack of new apps
 * @param s3              object storage for sources, slugs and build caches ({@code slipway.s3.*})
 * @param builds          build queue timings and limits ({@code slipway.builds.*})
 * @param runtime         dyno-agents and the scheduler ({@code slipway.runtime.*})
 * @param rendezvous      the TLS listener {@code heroku run} attaches through ({@code slipway.rendezvous.*})
 * @param logs            log buffer, log sessions and drains ({@code slipway.logs.*})
 * @param logins          password login throttling ({@code slipway.logins.*})
 * @param secrets         the keys config vars are encrypted with at rest ({@code slipway.secrets.*})
 * @param outbound        where drains and user-given URLs may lead ({@code slipway.outbound.*})
 * @param limits          per-user quotas and request size limits ({@code slipway.limits.*})
 * @param addons          add-on servers and plans ({@code slipway.addons.*})
 * @param workDir         the api-server's own scratch directory ({@code SLIPWAY_WORK_DIR}): Tomcat's base and
 *                        document root go in {@code <workDir>/tomcat}, the same at every start; empty: a temporary
 *                        directory deleted when the api-server stops
 */
@ConfigurationProperties(prefix = "slipway")
public record ApiServerConfig(
        @DefaultValue("https://127.0.0.1:5443") String publicUrl,
        @DefaultValue("localhost") String appsDomain,
        @DefaultValue("http") String appsScheme,
        @DefaultValue("8080") int appsPort,
        @DefaultValue Internal internal,
        @DefaultValue("4500") int rateLimitPerHour,
        @DefaultValue("heroku-24") String defaultStack,
        @DefaultValue S3 s3,
        @DefaultValue Builds builds,
        @DefaultValue Runtime runtime,
        @DefaultValue Rendezvous rendezvous,
        @DefaultValue Logs logs,
        @DefaultValue Logins logins,
        @DefaultValue Secrets secrets,
        @DefaultValue Outbound outbound,
        @DefaultValue Limits limits,
        @DefaultValue io.slipway.api.addons.AddonsConfig addons,
        @DefaultValue("") String workDir) {

    /**
     * Connections made on a user's behalf (drains; the build-worker reads the same variable for
     * {@code source_blob.url} and buildpack URLs) never go to internal addresses (see docs/security.md).
     *
     * @param allow comma-separated CIDR ranges the operator allows anyway ({@code SLIPWAY_OUTBOUND_ALLOW}),
     *              e.g. a log collector on the private network
     */
    public record Outbound(@DefaultValue("") String allow) {}

    /**
     * What one user may hold and send (see docs/security.md, "Outbound requests and limits"). Quotas count what
     * the user owns (apps, and the dynos of those apps) or started (builds, one-off dynos).
     *
     * @param appsPerUser            apps a user may own ({@code SLIPWAY_LIMITS_APPS_PER_USER})
     * @param dynosPerUser           formation dynos, summed over every app the user owns
     * @param buildsPerUser          builds of the user's waiting or running at once
     * @param oneOffDynosPerUser     one-off dynos the user started that are not yet gone
     * @param logStreamsPerUser      log streams ({@code heroku logs --tail}) the user has open at once
     * @param buildStreamsPerUser    build output streams of the user's builds open at once
     * @param maxBodyBytes           largest request body on the public API (413 past it)
     * @param concurrentRequests     public API requests handled at once ({@code SLIPWAY_LIMITS_CONCURRENT_REQUESTS});
     *                               more wait their turn, at most {@code admissionWait} ({@code web.AdmissionFilter});
     *                               0: four per processor
     * @param admissionWait          the longest a request waits for its turn before it is handled anyway
     */
    public record Limits(
            @DefaultValue("100") int appsPerUser,
            @DefaultValue("100") int dynosPerUser,
            @DefaultValue("10") int buildsPerUser,
            @DefaultValue("10") int oneOffDynosPerUser,
            @DefaultValue("20") int logStreamsPerUser,
            @DefaultValue("20") int buildStreamsPerUser,
            @DefaultValue("1048576") long maxBodyBytes,
            @DefaultValue("0") int concurrentRequests,
            @DefaultValue("1s") java.time.Duration admissionWait) {}

    /**
     * The internal API ({@code /internal/**}, docs/internal-api.md) is served only on its own listener, bound to
     * the platform's internal address, never on the public one (docs/security.md, "Internal API apart").
     *
     * @param port    its port ({@code SLIPWAY_INTERNAL_PORT}); 0 picks a free one (tests); must differ from
     *                {@code server.port}
     * @param bind    its address ({@code SLIPWAY_INTERNAL_BIND}): loopback or a private network the dynos and the
     *                internet cannot reach
     * @param tokens  the components' tokens and roles ({@code SLIPWAY_INTERNAL_TOKENS}), see
     *                {@code io.slipway.api.web.ComponentTokens}
     * @param certificate PEM certificate chain file ({@code SLIPWAY_INTERNAL_CERTIFICATE}): with
     *                {@code privateKey}, the listener speaks HTTPS (for an internal network the operator does not
     *                fully control); without, plain HTTP
     * @param privateKey  PEM private key file ({@code SLIPWAY_INTERNAL_PRIVATE_KEY})
     */
    public record Internal(
            @DefaultValue("5003") int port,
            @DefaultValue("127.0.0.1") String bind,
            String tokens,
            String certificate,
            String privateKey) {

        public boolean tls() {
            return certificate != null && !certificate.isBlank() && privateKey != null && !privateKey.isBlank();
        }
    }

    /**
     * The S3 API the api-server presigns URLs for (it is the only component holding these credentials).
     * Storage is on when {@code bucket} or {@code endpoint} is set; without it the api-server still serves
     * everything else, and sources, slugs and builds answer {@code 503 storage_unavailable}.
     *
     * @param endpoint       S3 API base URL (MinIO, Ceph, s3proxy...); empty for AWS S3 itself
     * @param publicEndpoint the base URL workers, agents and CI reach the store at, when it differs from
     *                       {@code endpoint} (presigned URLs are signed for this host)
     * @param bucket         bucket of every object; created at startup when missing (default {@code slipway})
     * @param accessKey      static credentials; empty: the AWS default chain (environment, profile, instance role)
     * @param secretKey      see {@code accessKey}
     * @param region         signing region
     * @param presignTtl     how long presigned URLs stay valid
     */
    public record S3(
            String endpoint,
            String publicEndpoint,
            String bucket,
            String accessKey,
            String secretKey,
            @DefaultValue("us-east-1") String region,
            @DefaultValue("1h") Duration presignTtl) {

        public static final String DEFAULT_BUCKET = "slipway";

        public boolean configured() {
            return notBlank(bucket) || notBlank(endpoint);
        }

        public String bucketName() {
            return notBlank(bucket) ? bucket : DEFAULT_BUCKET;
        }

        private static boolean notBlank(String s) {
            return s != null && !s.isBlank();
        }
    }

    /**
     * How builds are leased to build-workers (see docs/internal-api.md).
     *
     * @param leaseSeconds         a claim holds the build this long; every heartbeat renews it
     * @param timeoutSeconds       the longest a build may run (told to the worker; the sweeper fails builds
     *                             running past it plus one lease)
     * @param maxSlugBytes         largest slug accepted (Heroku's 500 MB)
     * @param maxAttempts          claims a build gets before a lost worker fails it (1 retry by default)
     * @param sweepInterval        how often expired leases are looked for
     * @param outputPollInterval   how often an open output stream looks for new output
     * @param maxOutputStreams     output streams served at once by this replica; more get 503
     * @param outputTokenTtl       how long a finished build's {@code output_stream_url} keeps working
     * @param outputTokenMaxLifetime the longest an {@code output_stream_url} works after the build was created,
     *                             finished or not
     */
    public record Builds(
            @DefaultValue("60") int leaseSeconds,
            @DefaultValue("900") int timeoutSeconds,
            @DefaultValue("524288000") long maxSlugBytes,
            @DefaultValue("2") int maxAttempts,
            @DefaultValue("5s") Duration sweepInterval,
            @DefaultValue("250ms") Duration outputPollInterval,
            @DefaultValue("256") int maxOutputStreams,
            @DefaultValue("1h") Duration outputTokenTtl,
            @DefaultValue("24h") Duration outputTokenMaxLifetime) {}

    /**
     * How dyno-agents are tracked and dynos scheduled on them (see docs/internal-api.md).
     *
     * @param heartbeatSeconds     told to agents: how often they heartbeat
     * @param lostAfterSeconds     an agent without a heartbeat this long is lost; its dynos move to live agents
     *                             (12 s = four missed heartbeats: a dead host's web dynos can be serving elsewhere
     *                             within 30 s, while one slow or lost heartbeat never moves anything)
     * @param deploySwitchTimeout  a deploy retires the old release's web dynos once the new ones are up, or after
     *                             this long (or when a new one crashed), so a deploy never hangs
     * @param schedulerInterval    how often the scheduler's backstop pass runs (events wake it sooner)
     * @param fullPassInterval     how often every app is reconciled, not just the ones events named
     * @param schedulerEnabled     false: this replica never schedules (another one does)
     */
    public record Runtime(
            @DefaultValue("3") int heartbeatSeconds,
            @DefaultValue("12") int lostAfterSeconds,
            @DefaultValue("120s") Duration deploySwitchTimeout,
            @DefaultValue("2s") Duration schedulerInterval,
            @DefaultValue("60s") Duration fullPassInterval,
            @DefaultValue("true") boolean schedulerEnabled) {}

    /**
     * The TLS listener pairing {@code heroku run} clients with their one-off dynos. Its certificate and key
     * default to the API's own ({@code server.ssl.certificate}, {@code server.ssl.certificate-private-key}).
     *
     * @param port         listening port; 0 picks a free one (tests), -1 switches the listener off
     * @param publicHost   the host in {@code attach_url}, which the CLI and the agents connect to
     * @param certificate  PEM certificate chain file; empty: the API's
     * @param privateKey   PEM private key file; empty: the API's
     * @param pairTimeout  how long one side waits for the other before the connection is closed
     * @param authTimeout  how long a new connection has to finish TLS and send its secret line, in all
     * @param maxPending   connections that have not sent a valid secret yet; more are closed at once
     * @param maxConnections connections at once, paired or not; more are closed at once
     * @param publicPort   the port in {@code attach_url} (a balancer's); 0: the listening port
     * @param relayAddress this replica's own {@code host:port} rendezvous listener as the other replicas reach
     *                     it; set on every replica when there are several, so a half of a session that lands
     *                     on a replica without its partner is relayed to the partner's; empty: one replica
     * @param relayTrust   PEM certificates trusted when relaying to another replica; empty: this replica's
     *                     own rendezvous certificate (every replica serving the same one)
     */
    public record Rendezvous(
            @DefaultValue("5002") int port,
            @DefaultValue("127.0.0.1") String publicHost,
            String certificate,
            String privateKey,
            @DefaultValue("2m") Duration pairTimeout,
            @DefaultValue("5s") Duration authTimeout,
            @DefaultValue("64") int maxPending,
            @DefaultValue("1024") int maxConnections,
            @DefaultValue("0") int publicPort,
            @DefaultValue("") String relayAddress,
            @DefaultValue("") String relayTrust) {}

    /**
     * App logs (see docs/logs.md).
     *
     * @param keepLines         lines kept per app (Heroku's logplex keeps 1,500)
     * @param maxMessageLength  longer messages are truncated to this many characters (Heroku truncates too)
     * @param maxLinesPerPost   most lines accepted in one {@code POST /internal/logs}
     * @param sessionTtl        how long a log session's URL works without tail
     * @param tailSessionTtl    how long a tail session's URL works (reconnects reuse it); also the longest a
     *                          single tail stream stays open
     * @param pollInterval      how often a tailing stream looks for new lines
     * @param keepalive         how often a quiet tailing stream gets a {@code : keepalive} comment
     * @param maxStreams        log streams served at once by this replica; more get 503
     * @param drainQueueLines   lines waiting per drain; beyond it the oldest are dropped (and counted)
     * @param drainIdleTimeout  a drain connection (and its thread) unused this long is closed
     */
    public record Logs(
            @DefaultValue("1500") int keepLines,
            @DefaultValue("10240") int maxMessageLength,
            @DefaultValue("10000") int maxLinesPerPost,
            @DefaultValue("5m") Duration sessionTtl,
            @DefaultValue("1h") Duration tailSessionTtl,
            @DefaultValue("300ms") Duration pollInterval,
            @DefaultValue("5s") Duration keepalive,
            @DefaultValue("256") int maxStreams,
            @DefaultValue("10000") int drainQueueLines,
            @DefaultValue("2m") Duration drainIdleTimeout) {}

    /**
     * Password logins ({@code heroku login -i}) are throttled in fixed windows, counted in PostgreSQL so every
     * replica shares the counts. Only failures count; a throttled caller is refused even with the right password.
     *
     * @param window               length of one counting window
     * @param maxFailuresPerAccount failed logins for one email (known or not) per window
     * @param maxFailuresPerAddress failed logins from one source address, across all emails, per window
     */
    public record Logins(
            @DefaultValue("15m") Duration window,
            @DefaultValue("10") int maxFailuresPerAccount,
            @DefaultValue("50") int maxFailuresPerAddress) {}

    /**
     * Keys config vars are encrypted with (AES-256-GCM), held apart from the database. Each is {@code id:base64}
     * (32 random bytes), several separated by commas or new lines; the first is the primary (new writes), the
     * others are only read. Both sources are combined, {@code key} first.
     *
     * @param key     {@code SLIPWAY_SECRETS_KEY}: the keys themselves
     * @param keyFile {@code SLIPWAY_SECRETS_KEY_FILE}: a file (mode 600) holding them
     */
    public record Secrets(String key, String keyFile) {}

    /** {@code https://host:port} without a trailing slash. */
    public String publicOrigin() {
        return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    public String gitUrl(String appName) {
        return publicOrigin() + "/" + appName + ".git";
    }

    public String defaultHostname(String appName) {
        return appName + "." + appsDomain;
    }

    public String webUrl(String appName) {
        boolean defaultPort = appsPort == 0
                || ("http".equals(appsScheme) && appsPort == 80)
                || ("https".equals(appsScheme) && appsPort == 443);
        return appsScheme + "://" + defaultHostname(appName) + (defaultPort ? "" : ":" + appsPort) + "/";
    }
}
