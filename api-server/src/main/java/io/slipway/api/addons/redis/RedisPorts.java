package io.slipway.api.addons.redis;

import io.slipway.api.errors.Unavailable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * Hands out each new instance a port of the configured range. The {@code redis_instances.port} unique key is the
 * lock: two replicas choosing the same port at once get one row and one retry. On the Redis host a port some
 * other program holds is skipped too.
 */
@Component
public class RedisPorts {
    private final RedisInstanceRepository instances;

    public RedisPorts(RedisInstanceRepository instances) {
        this.instances = instances;
    }

    public RedisInstance allocate(UUID addonId, RedisAddonsConfig config, boolean checkBindable) {
        int first = config.firstPort();
        int size = config.lastPort() - first + 1;
        if (size <= 0) throw new IllegalStateException("slipway.addons.redis: last-port is before first-port");
        Set<Integer> used = new HashSet<>(instances.usedPorts());
        int start = ThreadLocalRandom.current().nextInt(size); // replicas start apart, so they rarely race
        for (int i = 0; i < size; i++) {
            int port = first + (start + i) % size;
            if (used.contains(port) || (checkBindable && !bindable(config.listenAddress(), port))) continue;
            try {
                return instances.saveAndFlush(new RedisInstance(addonId, port));
            } catch (DataIntegrityViolationException takenMeanwhile) {
                used.add(port);
            }
        }
        throw new Unavailable("No free port is left for a new Redis instance (ports " + first + "-"
                + config.lastPort() + " are in use). Ask the platform operator to widen the range.");
    }

    private static boolean bindable(String address, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(address, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
