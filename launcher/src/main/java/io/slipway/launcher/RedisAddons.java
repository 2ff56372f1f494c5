package io.slipway.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * heroku-redis on a one-machine platform: offered when Debian's {@code redis-server} is installed. Instances
 * listen on the host's primary address ({@link HostAddress}), ports {@value #FIRST_PORT}-{@value #LAST_PORT},
 * and keep their data under the platform's data directory, so {@code slipway up} again resumes them.
 */
final class RedisAddons {
    static final Path SERVER_BINARY = Path.of("/usr/bin/redis-server");
    static final int FIRST_PORT = 6400;
    static final int LAST_PORT = 6999;
    /** Instances run as uids from here when the launcher is root (dynos use 200000-299999). */
    static final int UID_BASE = 310_000;
    private static final Logger log = LoggerFactory.getLogger(RedisAddons.class);

    /** What the api-server is told, and the range the lead opens to dynos. */
    record Settings(String serverBinary, Path dataDir, String publicHost, int uidBase) {
        Map<String, String> properties() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("slipway.addons.redis.server-binary", serverBinary);
            p.put("slipway.addons.redis.data-dir", dataDir.toString());
            p.put("slipway.addons.redis.public-host", publicHost);
            p.put("slipway.addons.redis.first-port", Integer.toString(FIRST_PORT));
            p.put("slipway.addons.redis.last-port", Integer.toString(LAST_PORT));
            p.put("slipway.addons.redis.uid-base", Integer.toString(uidBase));
            return p;
        }

        /** As {@code SLIPWAY_SANDBOX_SERVICES} spells one entry: {@code host:first-last}. */
        String serviceRange() {
            return publicHost + ":" + FIRST_PORT + "-" + LAST_PORT;
        }
    }

    private RedisAddons() {}

    static Optional<Settings> configure(DataDir dataDir) {
        if (!Files.isExecutable(SERVER_BINARY)) {
            log.info("heroku-redis is not offered: {} is not installed", SERVER_BINARY);
            return Optional.empty();
        }
        Path dir = dataDir.root().resolve("addons-redis");
        // never run tenants' Redis as root: each instance gets its own uid (RedisServerProcess hands it its
        // configuration and data directory itself, so the data directory may stay root's alone)
        int uidBase = "root".equals(System.getProperty("user.name")) ? UID_BASE : 0;
        return Optional.of(new Settings(SERVER_BINARY.toString(), dir, HostAddress.primaryIpv4(), uidBase));
    }
}
