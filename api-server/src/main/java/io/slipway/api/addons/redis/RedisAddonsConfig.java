package io.slipway.api.addons.redis;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code slipway.addons.redis.*}: how heroku-redis instances are run. Each add-on is one {@code redis-server}
 * process on the Redis host, with its own port of the range and its own directory under {@link #dataDir}.
 *
 * @param serverBinary   path of {@code redis-server} ({@code SLIPWAY_ADDONS_REDIS_SERVER_BINARY}); empty: not offered
 * @param dataDir        where instances keep their data, one directory per add-on (host-local)
 * @param publicHost     the host apps and users reach instances at (goes into REDIS_URL)
 * @param firstPort      first port of the range instances listen on
 * @param lastPort       last port of that range
 * @param bindAddress    the address instances listen on; empty: {@link #publicHost} (use 0.0.0.0 when the public
 *                       host is a NAT address this host does not own)
 * @param hostId         which api-server replica runs the instances: empty for every replica that has a
 *                       {@link #serverBinary} (one node), else the name of the one that does
 *                       ({@code SLIPWAY_ADDONS_REDIS_HOST_ID}); the others only record add-ons
 * @param replicaId      this replica's own name, compared with {@link #hostId}
 *                       ({@code SLIPWAY_ADDONS_REDIS_REPLICA_ID}); empty: the machine's host name. Set it
 *                       wherever host names do not tell the replicas apart (containers, network namespaces of
 *                       one machine as in {@code ./slipway cluster}, hosts renamed by their provider)
 * @param uidBase        when the api-server runs as root: each instance runs as its own uid and gid,
 *                       {@code uidBase + (port - firstPort)} (no passwd entry needed), so a tenant who breaks
 *                       into one redis-server can read neither the host nor another instance's data; 0: the
 *                       api-server's own user
 * @param reconcileEvery how often the Redis host compares the running instances with the database (instances
 *                       provisioned or destroyed on another replica, changed settings, dead processes)
 */
public record RedisAddonsConfig(@DefaultValue("") String serverBinary,
                                @DefaultValue("") String dataDir,
                                @DefaultValue("") String publicHost,
                                @DefaultValue("6400") int firstPort,
                                @DefaultValue("6999") int lastPort,
                                @DefaultValue("") String bindAddress,
                                @DefaultValue("") String hostId,
                                @DefaultValue("") String replicaId,
                                @DefaultValue("0") int uidBase,
                                @DefaultValue("5s") Duration reconcileEvery) {

    /** Whether heroku-redis can be provisioned at all. */
    public boolean offered() {
        return serverBinary != null && !serverBinary.isBlank() && dataDir != null && !dataDir.isBlank()
                && publicHost != null && !publicHost.isBlank();
    }

    /** Whether this replica runs the instances (it is the Redis host). */
    public boolean runsInstancesHere() {
        if (!offered()) return false;
        if (hostId == null || hostId.isBlank()) return true;
        return hostId.equals(thisReplica());
    }

    /** {@link #replicaId}, or the host name when it is not set (null if even that is unknown). */
    public String thisReplica() {
        if (replicaId != null && !replicaId.isBlank()) return replicaId;
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The uid (and gid) the instance on {@code port} runs as, or -1 for the api-server's own. */
    public int uidFor(int port) {
        return uidBase > 0 ? uidBase + (port - firstPort) : -1;
    }

    public String listenAddress() {
        return bindAddress == null || bindAddress.isBlank() ? publicHost : bindAddress;
    }
}
