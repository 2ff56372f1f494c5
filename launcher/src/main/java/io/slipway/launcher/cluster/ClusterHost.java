package io.slipway.launcher.cluster;

import java.util.List;

/**
 * One host of the cluster: its own network namespace, one address on the cluster's bridge, and the processes of
 * its roles.
 *
 * @param name    e.g. {@code api-1}, {@code agent-3}: what tests pass to {@code kill9}, {@code start}
 * @param index   its place in the layout: names its veth link
 * @param address its address on the cluster's /24
 * @param roles   the processes it runs, in start order
 */
public record ClusterHost(String name, int index, String address, List<Role> roles) {
    public boolean runs(Role role) {
        return roles.contains(role);
    }
}
