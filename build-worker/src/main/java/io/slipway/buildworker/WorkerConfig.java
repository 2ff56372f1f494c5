package io.slipway.buildworker;

import static io.slipway.shared.config.EnvSettings.number;
import static io.slipway.shared.config.EnvSettings.path;
import static io.slipway.shared.config.EnvSettings.text;

import io.slipway.buildworker.images.RegistryMirror;
import io.slipway.shared.net.OutboundPolicy;
import java.net.URI;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import io.slipway.shared.sandbox.Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything a build-worker is configured with, read once from the environment ({@link #fromEnv}).
 *
 * @param apiUrl the api-server's internal listener ({@code SLIPWAY_INTERNAL_API_URL}, required), where the
 *        internal builds API is served
 * @param internalToken this worker's own component token, role {@code build-worker} ({@code SLIPWAY_INTERNAL_TOKEN},
 *        required; never logged)
 * @param workerId how this worker names itself when claiming ({@code SLIPWAY_WORKER_ID}, default host-pid)
 * @param buildRoot scratch directory for builds, runc state and the built-in buildpacks
 *        ({@code SLIPWAY_BUILD_ROOT}, default {@code <tmpdir>/slipway-build-worker})
 * @param stacksDir a directory of stack root file systems, one sub-directory per stack name
 *        ({@code SLIPWAY_STACKS_DIR}, optional); a stack without one there builds on {@code defaultStackRoot}
 * @param defaultStackRoot the root file system builds see when their stack has no directory of its own
 *        ({@code SLIPWAY_DEFAULT_STACK_ROOT}, default {@code /}: the host's own {@code /usr /bin /lib /etc})
 * @param buildTimeout the longest a build may compile ({@code SLIPWAY_BUILD_TIMEOUT_SECONDS}, default 900);
 *        a shorter {@code timeout_seconds} from the api-server wins
 * @param memoryLimitBytes a build container's memory limit ({@code SLIPWAY_BUILD_MEMORY_MB}, default 2048)
 * @param pidsLimit a build container's process/thread limit ({@code SLIPWAY_BUILD_PIDS_LIMIT}, default 2048)
 * @param maxSlugBytes the largest compressed slug ({@code SLIPWAY_MAX_SLUG_BYTES}, default 500 MiB);
 *        a smaller {@code max_slug_bytes} from the api-server wins
 * @param concurrency how many builds run at once ({@code SLIPWAY_BUILD_CONCURRENCY}, default 1)
 * @param claimInterval how long an idle worker waits between claims ({@code SLIPWAY_CLAIM_INTERVAL_SECONDS},
 *        default 2, fractions allowed)
 * @param caFile an extra CA certificate (PEM) to trust for the api-server and storage ({@code SLIPWAY_CA_FILE})
 * @param runc the runc binary ({@code SLIPWAY_RUNC}, default {@code runc} from the PATH)
 * @param outbound where user-given URLs (a {@code source_blob.url}, buildpack URLs) may lead: public addresses,
 *        plus the ranges in {@code SLIPWAY_OUTBOUND_ALLOW} (comma-separated CIDRs)
 * @param maxDownloadBytes the largest download from a user-given URL
 *        ({@code SLIPWAY_OUTBOUND_MAX_DOWNLOAD_MB}, default 1024)
 * @param downloadTimeout the longest a download from a user-given URL may take
 *        ({@code SLIPWAY_OUTBOUND_DOWNLOAD_TIMEOUT_SECONDS}, default 300)
 * @param buildDiskBytes the most a build may write to its directories: the source, the cache, the slug
 *        ({@code SLIPWAY_BUILD_DISK_MB}, default 10240; a sized file system, so past it writes fail with ENOSPC)
 * @param subnet the pool the worker claims a /24 for its builds' network namespaces from
 *        ({@code SLIPWAY_BUILD_SUBNET}, default {@code 10.213.0.0/16}, shared with the dyno-agents' pool)
 * @param denied networks builds must not reach besides loopback, link-local and the host
 *        ({@code SLIPWAY_BUILD_DENY_CIDRS}, comma separated: the platform's internal network)
 * @param buildah the Buildah binary, for Dockerfile builds ({@code SLIPWAY_BUILDAH})
 * @param imageStorageBytes size of the worker's Buildah storage, a sized file system kept across restarts (the
 *        layer cache); 0: not capped ({@code SLIPWAY_IMAGE_STORAGE_MB})
 * @param registryMirror the one registry {@code FROM} images that are not platform base images are pulled from
 *        ({@code SLIPWAY_REGISTRY_MIRROR}, {@code SLIPWAY_REGISTRY_MIRROR_INSECURE},
 *        {@code SLIPWAY_REGISTRY_MIRROR_AUTH_FILE}); null: none, only platform base images
 */
public record WorkerConfig(
        URI apiUrl,
        String internalToken,
        String workerId,
        Path buildRoot,
        Path stacksDir,
        Path defaultStackRoot,
        Duration buildTimeout,
        long memoryLimitBytes,
        int pidsLimit,
        long maxSlugBytes,
        int concurrency,
        Duration claimInterval,
        Path caFile,
        String runc,
        OutboundPolicy outbound,
        long maxDownloadBytes,
        Duration downloadTimeout,
        long buildDiskBytes,
        Cidr subnet,
        List<Cidr> denied,
        String buildah,
        long imageStorageBytes,
        RegistryMirror registryMirror) {

    public static final long DEFAULT_MAX_SLUG_BYTES = 500L * 1024 * 1024;

    public WorkerConfig {
        if (apiUrl == null) {
            throw new IllegalArgumentException("SLIPWAY_INTERNAL_API_URL is required (the api-server's internal listener)");
        }
        if (internalToken == null || internalToken.isBlank()) {
            throw new IllegalArgumentException("SLIPWAY_INTERNAL_TOKEN is required");
        }
        if (concurrency < 1) throw new IllegalArgumentException("SLIPWAY_BUILD_CONCURRENCY must be at least 1");
        if (memoryLimitBytes < 16L * 1024 * 1024) throw new IllegalArgumentException("SLIPWAY_BUILD_MEMORY_MB is too small");
        if (pidsLimit < 16) throw new IllegalArgumentException("SLIPWAY_BUILD_PIDS_LIMIT must be at least 16");
        if (maxSlugBytes < 1) throw new IllegalArgumentException("SLIPWAY_MAX_SLUG_BYTES must be positive");
        if (maxDownloadBytes < 1) throw new IllegalArgumentException("SLIPWAY_OUTBOUND_MAX_DOWNLOAD_MB must be positive");
        if (downloadTimeout.isNegative() || downloadTimeout.isZero()) {
            throw new IllegalArgumentException("SLIPWAY_OUTBOUND_DOWNLOAD_TIMEOUT_SECONDS must be positive");
        }
        if (buildDiskBytes < 64L * 1024 * 1024) throw new IllegalArgumentException("SLIPWAY_BUILD_DISK_MB is too small");
        denied = List.copyOf(denied);
        if (imageStorageBytes != 0 && imageStorageBytes < 512L * 1024 * 1024) {
            throw new IllegalArgumentException("SLIPWAY_IMAGE_STORAGE_MB is too small (0: no cap, else at least 512)");
        }
        if (buildTimeout.isNegative() || buildTimeout.isZero()) {
            throw new IllegalArgumentException("SLIPWAY_BUILD_TIMEOUT_SECONDS must be positive");
        }
    }

    /** Reads the configuration; a malformed or missing value throws with the variable's name. */
    public static WorkerConfig fromEnv(Map<String, String> env) {
        String api = env.get("SLIPWAY_INTERNAL_API_URL");
        return new WorkerConfig(
                api == null || api.isBlank() ? null : URI.create(api.trim()),
                env.get("SLIPWAY_INTERNAL_TOKEN"),
                text(env, "SLIPWAY_WORKER_ID", defaultWorkerId()),
                Path.of(text(env, "SLIPWAY_BUILD_ROOT",
                        Path.of(System.getProperty("java.io.tmpdir"), "slipway-build-worker").toString())),
                path(env, "SLIPWAY_STACKS_DIR"),
                Path.of(text(env, "SLIPWAY_DEFAULT_STACK_ROOT", "/")),
                Duration.ofSeconds(number(env, "SLIPWAY_BUILD_TIMEOUT_SECONDS", 900)),
                number(env, "SLIPWAY_BUILD_MEMORY_MB", 2048) * 1024 * 1024,
                (int) number(env, "SLIPWAY_BUILD_PIDS_LIMIT", 2048),
                number(env, "SLIPWAY_MAX_SLUG_BYTES", DEFAULT_MAX_SLUG_BYTES),
                (int) number(env, "SLIPWAY_BUILD_CONCURRENCY", 1),
                Duration.ofMillis(Math.round(decimal(env, "SLIPWAY_CLAIM_INTERVAL_SECONDS", 2.0) * 1000)),
                path(env, "SLIPWAY_CA_FILE"),
                text(env, "SLIPWAY_RUNC", "runc"),
                OutboundPolicy.fromEnv(env),
                number(env, "SLIPWAY_OUTBOUND_MAX_DOWNLOAD_MB", 1024) * 1024 * 1024,
                Duration.ofSeconds(number(env, "SLIPWAY_OUTBOUND_DOWNLOAD_TIMEOUT_SECONDS", 300)),
                number(env, "SLIPWAY_BUILD_DISK_MB", 10240) * 1024 * 1024,
                cidr("SLIPWAY_BUILD_SUBNET", text(env, "SLIPWAY_BUILD_SUBNET", "10.213.0.0/16")),
                cidrs(text(env, "SLIPWAY_BUILD_DENY_CIDRS", "")),
                text(env, "SLIPWAY_BUILDAH", "buildah"),
                number(env, "SLIPWAY_IMAGE_STORAGE_MB", 20480) * 1024 * 1024,
                RegistryMirror.fromEnv(env));
    }

    private static Cidr cidr(String key, String value) {
        try {
            Cidr c = Cidr.parse(value);
            if (c.prefix() > 29) throw new IllegalArgumentException("too small: " + c);
            return c;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
    }

    private static List<Cidr> cidrs(String list) {
        List<Cidr> out = new ArrayList<>();
        for (String c : list.split(",")) if (!c.isBlank()) out.add(cidr("SLIPWAY_BUILD_DENY_CIDRS", c));
        return out;
    }

    /** The timeout for one build: the worker's, or the api-server's when that is shorter. */
    public Duration timeoutFor(int requestedSeconds) {
        if (requestedSeconds <= 0) return buildTimeout;
        Duration requested = Duration.ofSeconds(requestedSeconds);
        return requested.compareTo(buildTimeout) < 0 ? requested : buildTimeout;
    }

    /** The slug size limit for one build: the worker's, or the api-server's when that is smaller. */
    public long maxSlugBytesFor(long requested) {
        return requested > 0 ? Math.min(requested, maxSlugBytes) : maxSlugBytes;
    }

    private static double decimal(Map<String, String> env, String key, double fallback) {
        String v = env.get(key);
        if (v == null || v.isBlank()) return fallback;
        try {
            double d = Double.parseDouble(v.trim());
            if (!(d > 0)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a positive number, not '" + v + "'");
        }
    }

    private static String defaultWorkerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "build-worker";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    @Override
    public String toString() { // keeps the token out of logs
        return "WorkerConfig[apiUrl=" + apiUrl + ", workerId=" + workerId + ", buildRoot=" + buildRoot
                + ", stacksDir=" + stacksDir + ", defaultStackRoot=" + defaultStackRoot + ", buildTimeout="
                + buildTimeout + ", memoryLimitBytes=" + memoryLimitBytes + ", pidsLimit=" + pidsLimit
                + ", maxSlugBytes=" + maxSlugBytes + ", concurrency=" + concurrency + ", claimInterval="
                + claimInterval + ", caFile=" + caFile + ", runc=" + runc + ", outboundAllow=" + outbound.allowed()
                + ", maxDownloadBytes=" + maxDownloadBytes + ", downloadTimeout=" + downloadTimeout
                + ", buildDiskBytes=" + buildDiskBytes
                + ", subnet=" + subnet + ", denied=" + denied + ", registryMirror=" + registryMirror + "]";
    }
}
