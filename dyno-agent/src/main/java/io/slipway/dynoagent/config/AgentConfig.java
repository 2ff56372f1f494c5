package io.slipway.dynoagent.config;

import static io.slipway.shared.config.EnvSettings.number;
import static io.slipway.shared.config.EnvSettings.path;
import static io.slipway.shared.config.EnvSettings.text;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Everything a dyno-agent is configured with, read once from the environment ({@link #fromEnv}).
 *
 * @param apiUrl the api-server's internal listener ({@code SLIPWAY_INTERNAL_API_URL}, required)
 * @param internalToken this agent's own component token ({@code SLIPWAY_INTERNAL_TOKEN}, required; never logged):
 *        role {@code agent}, issued for this agent's id
 * @param caFile an extra CA (PEM) trusted for the api-server, slug downloads and the rendezvous
 *        ({@code SLIPWAY_CA_FILE}, optional)
 * @param agentId how the agent names itself ({@code SLIPWAY_AGENT_ID}; default a uuid persisted in the data dir,
 *        so a restarted agent is the same agent)
 * @param host the address the router reaches this host's dyno ports at ({@code SLIPWAY_AGENT_HOST}, 127.0.0.1)
 * @param dataDir slug cache, dyno directories, runc state ({@code SLIPWAY_AGENT_DATA_DIR}, default
 *        {@code /var/lib/slipway-agent} when root, else {@code <tmpdir>/slipway-agent})
 * @param memoryMb capacity announced to the scheduler ({@code SLIPWAY_AGENT_MEMORY_MB}, default 4096)
 * @param dynoSlots capacity announced to the scheduler ({@code SLIPWAY_AGENT_DYNO_SLOTS}, default 32)
 * @param driver {@code runc}, {@code process} or {@code auto} ({@code SLIPWAY_AGENT_DRIVER}, default auto)
 * @param portFrom first port of the range dynos get their {@code $PORT} from ({@code SLIPWAY_AGENT_PORT_RANGE},
 *        default 40000-49999)
 * @param portTo last port of that range
 * @param runc the runc binary ({@code SLIPWAY_RUNC}, default {@code runc})
 * @param defaultStackRoot the root whose /usr /bin /sbin /lib /lib64 /etc dynos see read-only
 *        ({@code SLIPWAY_DEFAULT_STACK_ROOT}, default {@code /}, like the build-worker)
 * @param bootTimeout how long a web dyno may take to accept on $PORT (R10; {@code SLIPWAY_AGENT_BOOT_TIMEOUT_SECONDS}, 60)
 * @param stopTimeout SIGTERM to SIGKILL (R12; {@code SLIPWAY_AGENT_STOP_TIMEOUT_SECONDS}, 30)
 * @param drainDelay how long a retired web dyno keeps running so the router stops sending it requests first
 *        ({@code SLIPWAY_AGENT_DRAIN_SECONDS}, 2)
 * @param restartBackoff the wait before the second restart of a crashing dyno, doubling per crash
 *        ({@code SLIPWAY_AGENT_RESTART_BACKOFF_SECONDS}, 10; the first restart is immediate, as on Heroku)
 * @param restartBackoffMax the longest wait between restarts ({@code SLIPWAY_AGENT_RESTART_BACKOFF_MAX_SECONDS}, 300)
 * @param resyncInterval how often assignments are re-read even without an event
 *        ({@code SLIPWAY_AGENT_RESYNC_SECONDS}, 15)
 * @param sandbox network, users and the {@code --insecure-dynos} switch ({@link SandboxSettings})
 */
public record AgentConfig(
        URI apiUrl,
        String internalToken,
        Path caFile,
        String agentId,
        String host,
        Path dataDir,
        int memoryMb,
        int dynoSlots,
        String driver,
        int portFrom,
        int portTo,
        String runc,
        Path defaultStackRoot,
        Duration bootTimeout,
        Duration stopTimeout,
        Duration drainDelay,
        Duration restartBackoff,
        Duration restartBackoffMax,
        Duration resyncInterval,
        SandboxSettings sandbox) {

    public AgentConfig {
        if (apiUrl == null) {
            throw new IllegalArgumentException("SLIPWAY_INTERNAL_API_URL is required (the api-server's internal listener)");
        }
        if (internalToken == null || internalToken.isBlank()) {
            throw new IllegalArgumentException("SLIPWAY_INTERNAL_TOKEN is required");
        }
        if (agentId == null || agentId.isEmpty() || agentId.length() > 100) {
            throw new IllegalArgumentException("SLIPWAY_AGENT_ID must be 1-100 characters");
        }
        if (!driver.equals("runc") && !driver.equals("process") && !driver.equals("auto")) {
            throw new IllegalArgumentException("SLIPWAY_AGENT_DRIVER must be runc, process or auto, not " + driver);
        }
        if (portFrom < 1 || portTo > 65535 || portFrom > portTo) {
            throw new IllegalArgumentException("SLIPWAY_AGENT_PORT_RANGE must be like 40000-49999");
        }
        if (memoryMb < 1 || dynoSlots < 1) throw new IllegalArgumentException("agent capacity must be positive");
    }

    /** Reads the configuration; a malformed or missing value throws naming the variable. */
    public static AgentConfig fromEnv(Map<String, String> env) {
        String api = env.get("SLIPWAY_INTERNAL_API_URL");
        Path dataDir = Path.of(text(env, "SLIPWAY_AGENT_DATA_DIR", defaultDataDir()));
        String range = text(env, "SLIPWAY_AGENT_PORT_RANGE", "40000-49999");
        String[] ports = range.split("-");
        if (ports.length != 2) throw new IllegalArgumentException("SLIPWAY_AGENT_PORT_RANGE must be like 40000-49999");
        int from;
        int to;
        try {
            from = Integer.parseInt(ports[0].trim());
            to = Integer.parseInt(ports[1].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SLIPWAY_AGENT_PORT_RANGE must be like 40000-49999, not " + range);
        }
        String id = text(env, "SLIPWAY_AGENT_ID", null);
        return new AgentConfig(
                api == null || api.isBlank() ? null : URI.create(api.trim()),
                env.get("SLIPWAY_INTERNAL_TOKEN"),
                path(env, "SLIPWAY_CA_FILE"),
                id != null ? id : persistedAgentId(dataDir),
                text(env, "SLIPWAY_AGENT_HOST", "127.0.0.1"),
                dataDir,
                (int) number(env, "SLIPWAY_AGENT_MEMORY_MB", 4096),
                (int) number(env, "SLIPWAY_AGENT_DYNO_SLOTS", 32),
                text(env, "SLIPWAY_AGENT_DRIVER", "auto").toLowerCase(),
                from,
                to,
                text(env, "SLIPWAY_RUNC", "runc"),
                Path.of(text(env, "SLIPWAY_DEFAULT_STACK_ROOT", "/")),
                seconds(env, "SLIPWAY_AGENT_BOOT_TIMEOUT_SECONDS", 60),
                seconds(env, "SLIPWAY_AGENT_STOP_TIMEOUT_SECONDS", 30),
                seconds(env, "SLIPWAY_AGENT_DRAIN_SECONDS", 2),
                seconds(env, "SLIPWAY_AGENT_RESTART_BACKOFF_SECONDS", 10),
                seconds(env, "SLIPWAY_AGENT_RESTART_BACKOFF_MAX_SECONDS", 300),
                seconds(env, "SLIPWAY_AGENT_RESYNC_SECONDS", 15),
                SandboxSettings.fromEnv(env));
    }

    /** A copy with other timings; tests use short ones. */
    public AgentConfig withTimings(Duration boot, Duration stop, Duration drain, Duration backoff,
                                   Duration backoffMax, Duration resync) {
        return new AgentConfig(apiUrl, internalToken, caFile, agentId, host, dataDir, memoryMb, dynoSlots, driver,
                portFrom, portTo, runc, defaultStackRoot, boot, stop, drain, backoff, backoffMax, resync, sandbox);
    }

    /** The agent's id from {@code <dataDir>/agent-id}, created on first use. */
    public static String persistedAgentId(Path dataDir) {
        Path file = dataDir.resolve("agent-id");
        try {
            if (Files.isRegularFile(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!id.isEmpty()) return id;
            }
            Files.createDirectories(dataDir);
            String id = UUID.randomUUID().toString();
            Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
            return id;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot keep the agent id in " + file + ": " + e.getMessage()
                    + " (set SLIPWAY_AGENT_ID or a writable SLIPWAY_AGENT_DATA_DIR)", e);
        }
    }

    private static String defaultDataDir() {
        Path system = Path.of("/var/lib/slipway-agent");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root && (Files.isDirectory(system) || Files.isWritable(system.getParent()))) return system.toString();
        return Path.of(System.getProperty("java.io.tmpdir"), "slipway-agent").toString();
    }

    private static Duration seconds(Map<String, String> env, String key, double fallback) {
        String v = env.get(key);
        double d = fallback;
        if (v != null && !v.isBlank()) {
            try {
                d = Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a number of seconds, not '" + v + "'");
            }
        }
        if (!(d >= 0)) throw new IllegalArgumentException(key + " must not be negative");
        return Duration.ofMillis(Math.round(d * 1000));
    }

    @Override
    public String toString() { // keeps the token out of logs
        return "AgentConfig[apiUrl=" + apiUrl + ", agentId=" + agentId + ", host=" + host + ", dataDir=" + dataDir
                + ", memoryMb=" + memoryMb + ", dynoSlots=" + dynoSlots + ", driver=" + driver + ", ports="
                + portFrom + "-" + portTo + ", runc=" + runc + ", defaultStackRoot=" + defaultStackRoot
                + ", bootTimeout=" + bootTimeout + ", stopTimeout=" + stopTimeout + ", drainDelay=" + drainDelay
                + ", caFile=" + caFile + ", sandbox=" + sandbox + "]";
    }
}
