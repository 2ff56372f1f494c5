package io.slipway.api.addons.redis;

import io.slipway.api.secrets.Digests;

/**
 * The redis.conf of one instance, written anew at every start from the database (so nothing a tenant does
 * survives a restart in the configuration). The tenant is Redis's {@code default} user (plain {@code AUTH
 * PASSWORD}, as Heroku's REDIS_URL sends): every command except those that reach outside the instance's own
 * data or change how it runs (CONFIG, replication, persistence control, MIGRATE, modules, DEBUG, SHUTDOWN, ACL);
 * {@code slipway-admin}, with a password only the supervisor holds in memory, applies plan changes.
 */
final class RedisConf {
    static final String ADMIN_USER = "slipway-admin";
    /** What the tenant may not run: each either escapes the instance (MIGRATE, REPLICAOF: connections to any
     *  address; CONFIG: files anywhere) or takes over what the platform owns (limits, persistence, shutdown). */
    static final String DENIED = "-config -debug -shutdown -module -replicaof -slaveof -sync -psync -migrate -acl"
            + " -save -bgsave -bgrewriteaof -failover -cluster";

    private RedisConf() {}

    /** Paths are relative: the process starts in its data directory (see {@link RedisServerProcess}). */
    static String render(int port, String bind, String tenantPassword, String adminPassword,
                         RedisLimits limits) {
        StringBuilder c = new StringBuilder();
        c.append("# written by Slipway at every start; changes here are lost\n");
        c.append("port ").append(port).append('\n');
        c.append("bind ").append(bind).append('\n');
        c.append("protected-mode yes\n");
        c.append("daemonize no\n");
        c.append("dir ./\n");
        c.append("pidfile redis.pid\n");
        c.append("logfile \"\"\n");
        // durability across restarts of the platform: the append-only file, synced every second
        c.append("appendonly yes\nappendfsync everysec\nsave \"\"\n");
        String[] s = limits.settings();
        for (int i = 0; i < s.length; i += 2) c.append(s[i]).append(' ').append(s[i + 1]).append('\n');
        c.append("enable-debug-command no\nenable-module-command no\nenable-protected-configs no\n");
        // RESTORE of a crafted payload is a known way to corrupt memory: check every one
        c.append("sanitize-dump-payload yes\n");
        c.append("user default on #").append(Digests.sha256Hex(tenantPassword)).append(" ~* &* +@all ").append(DENIED).append('\n');
        c.append("user ").append(ADMIN_USER).append(" on #").append(Digests.sha256Hex(adminPassword)).append(" ~* &* +@all\n");
        return c.toString();
    }

}
