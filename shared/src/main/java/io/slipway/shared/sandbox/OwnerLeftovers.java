package io.slipway.shared.sandbox;

import java.io.IOException;
import java.util.List;
import java.util.logging.Logger;

/**
 * What a {@link SandboxNetwork} owner that ended without closing (killed, crashed) left on the host: its nftables
 * table, network namespaces, host links and the blackhole route claiming its block. An owner removes its own at
 * start (same tag), and those of owners whose tables name a process that has ended ({@link TableOwner}).
 */
final class OwnerLeftovers {
    private static final Logger LOG = Logger.getLogger(OwnerLeftovers.class.getName());
    private static final String TABLE_PREFIX = "slipway_";

    private OwnerLeftovers() {}

    static String table(String tag) {
        return TABLE_PREFIX + tag;
    }

    /** Removes the leftovers of owners whose process has ended, other than {@code ownTag}'s. */
    static void removeOfEndedOwners(String ownTag) {
        String listing;
        try {
            listing = HostCommand.run(List.of("nft", "list", "tables", "ip"), null);
        } catch (IOException e) {
            LOG.warning("cannot list nftables tables: " + e.getMessage());
            return;
        }
        for (String line : listing.split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words.length != 3 || !words[2].startsWith(TABLE_PREFIX)) continue;
            String tag = words[2].substring(TABLE_PREFIX.length());
            if (tag.equals(ownTag)) continue;
            try {
                TableOwner owner = TableOwner.inListing(HostCommand.run(List.of("nft", "list", "table", "ip",
                        words[2]), null)).orElse(null);
                if (owner == null || !owner.isGone()) continue;
                LOG.warning("removing the sandbox network of process " + owner.pid() + ", which has ended ("
                        + words[2] + ", " + owner.subnet() + ")");
                remove(tag, owner.subnet());
            } catch (IOException e) {
                // removed by its owner or another one meanwhile
            }
        }
    }

    /**
     * Removes the links, namespaces and table of {@code tag}, and the claim on {@code claimed} (null: none known).
     * Links first: a dyno of a killed agent may still run in its namespace (runc dynos outlive their agent), and
     * with its link gone it has no network at all before its table, and the isolation in it, goes.
     */
    static void remove(String tag, Cidr claimed) {
        try {
            for (String line : HostCommand.run(List.of("ip", "-o", "link", "show"), null).split("\n")) {
                String[] parts = line.split(":\\s+");
                if (parts.length < 2) continue;
                String name = parts[1].split("@")[0];
                if (name.startsWith(NftRuleset.ALL_PREFIX + tag)) HostCommand.quietly(List.of("ip", "link", "del", name));
            }
            for (String line : HostCommand.run(List.of("ip", "netns", "list"), null).split("\n")) {
                String name = line.trim().split("\\s+")[0];
                if (name.startsWith("slipway-" + tag + "-")) {
                    LOG.warning("removing network namespace " + name + " left behind by an earlier run");
                    HostCommand.quietly(List.of("ip", "netns", "del", name));
                }
            }
        } catch (IOException e) {
            LOG.warning("cannot list network namespaces or links: " + e.getMessage());
        }
        HostCommand.quietly(List.of("nft", "delete", "table", "ip", table(tag)));
        if (claimed != null) HostCommand.quietly(List.of("ip", "route", "del", "blackhole", claimed.toString()));
    }
}
