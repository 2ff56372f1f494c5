package io.slipway.launcher.cluster;

import io.slipway.shared.sandbox.SandboxNetwork;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a host's dyno-agent or build-worker leaves when it is killed outright: its runc containers (whose processes
 * live in their own namespaces, out of reach of a kill of the host's) and the names of its sandboxes' network
 * namespaces. An agent restarted on the host removes them itself; {@code kill9} and {@code down} use this.
 */
final class SandboxLeftovers {
    private SandboxLeftovers() {}

    static Path agentData(ClusterDir dir, ClusterHost host) {
        return dir.host(host).resolve("agent");
    }

    static Path buildRoot(ClusterDir dir, ClusterHost host) {
        return dir.host(host).resolve("builds");
    }

    /** SIGKILL to every process of every container (a dead host's dynos die with it); the state stays. */
    static void killContainers(Path runcRoot) {
        if (!Files.isDirectory(runcRoot)) return;
        String list;
        try {
            list = Command.run("runc", "--root", runcRoot.toString(), "list", "-q");
        } catch (IllegalStateException e) {
            return;
        }
        for (String id : list.split("\n")) {
            if (!id.isBlank()) Command.quietly("runc", "--root", runcRoot.toString(), "kill", "--all", id.trim(), "KILL");
        }
    }

    static void deleteContainers(Path runcRoot) {
        if (!Files.isDirectory(runcRoot)) return;
        killContainers(runcRoot);
        String list;
        try {
            list = Command.run("runc", "--root", runcRoot.toString(), "list", "-q");
        } catch (IllegalStateException e) {
            return;
        }
        for (String id : list.split("\n")) {
            if (!id.isBlank()) Command.quietly("runc", "--root", runcRoot.toString(), "delete", "-f", id.trim());
        }
    }

    /** Removes the sandboxes' namespace names ({@code slipway-<tag>-<n>}) of the agent or worker of {@code host}. */
    static void removeNamespaces(String ownerId) {
        String prefix = "slipway-" + SandboxNetwork.tag(ownerId) + "-";
        String list;
        try {
            list = Command.run("ip", "netns", "list");
        } catch (IllegalStateException e) {
            return;
        }
        for (String line : list.split("\n")) {
            String name = line.trim().split("\\s+")[0];
            if (name.startsWith(prefix)) Command.quietly("ip", "netns", "del", name);
        }
    }

    /** The sandbox namespace names of the cluster's agents and workers still in /run/netns. */
    static java.util.List<String> namespaces(ClusterDir dir, ClusterLayout layout) {
        java.util.List<String> prefixes = new java.util.ArrayList<>();
        for (ClusterHost host : layout.hosts()) {
            if (host.runs(Role.DYNO_AGENT)) prefixes.add("slipway-" + SandboxNetwork.tag("agent:" + layout.agentId(host)) + "-");
            if (host.runs(Role.BUILD_WORKER)) {
                prefixes.add("slipway-" + SandboxNetwork.tag("build:" + buildRoot(dir, host).toAbsolutePath()) + "-");
            }
        }
        java.util.List<String> left = new java.util.ArrayList<>();
        for (String line : Command.run("ip", "netns", "list").split("\n")) {
            String name = line.trim().split("\\s+")[0];
            if (prefixes.stream().anyMatch(name::startsWith)) left.add("netns " + name);
        }
        return left;
    }

    static void clean(ClusterDir dir, ClusterLayout layout, ClusterHost host) {
        if (host.runs(Role.DYNO_AGENT)) {
            deleteContainers(agentData(dir, host).resolve("runc"));
            removeNamespaces("agent:" + layout.agentId(host));
        }
        if (host.runs(Role.BUILD_WORKER)) {
            deleteContainers(buildRoot(dir, host).resolve("runc"));
            removeNamespaces("build:" + buildRoot(dir, host).toAbsolutePath());
        }
    }
}
