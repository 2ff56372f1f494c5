package io.slipway.api.addons.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Which replica runs the instances: named explicitly ({@code SLIPWAY_ADDONS_REDIS_REPLICA_ID}), so replicas that
 * share a host name (network namespaces of one machine, containers) still agree on exactly one Redis host.
 */
class RedisAddonsConfigTest {

    private static RedisAddonsConfig config(String binary, String hostId, String replicaId) {
        return new RedisAddonsConfig(binary, "/var/lib/slipway/addons-redis", "10.0.0.11", 6400, 6999, "",
                hostId, replicaId, 0, Duration.ofSeconds(5));
    }

    @Test
    void theReplicaNamedAsTheHostRunsTheInstancesAndNoOtherDoes() {
        assertThat(config("/usr/bin/redis-server", "api-1", "api-1").runsInstancesHere()).isTrue();
        assertThat(config("/usr/bin/redis-server", "api-1", "api-2").runsInstancesHere()).isFalse();
    }

    @Test
    void withoutAHostIdEveryReplicaWithTheBinaryRunsThem() {
        assertThat(config("/usr/bin/redis-server", "", "api-2").runsInstancesHere()).isTrue();
        assertThat(config("", "", "").runsInstancesHere()).isFalse();
    }

    @Test
    void withoutAReplicaIdTheHostNameIsThisReplicasName() throws Exception {
        String hostName = java.net.InetAddress.getLocalHost().getHostName();
        assertThat(config("/usr/bin/redis-server", "api-1", "").thisReplica()).isEqualTo(hostName);
        assertThat(config("/usr/bin/redis-server", hostName, "").runsInstancesHere()).isTrue();
        // an explicit name wins over the host name, even when the host name matches
        assertThat(config("/usr/bin/redis-server", hostName, hostName + "-other").runsInstancesHere()).isFalse();
    }
}
