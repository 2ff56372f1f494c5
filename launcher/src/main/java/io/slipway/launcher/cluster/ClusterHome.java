package io.slipway.launcher.cluster;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checkout the cluster runs from: its {@code deploy/} files and {@code launcher/target/lib} jars. The
 * {@code slipway} script passes it ({@code -Dslipway.home}); tests find it above their working directory.
 */
public final class ClusterHome {
    private ClusterHome() {}

    public static Path find() {
        String configured = System.getProperty("slipway.home");
        if (configured != null && !configured.isBlank()) return check(Path.of(configured));
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("deploy/bin/slipway-component"))) return check(p);
        }
        throw new IllegalStateException("cannot find the Slipway checkout (deploy/bin/slipway-component); run ./slipway");
    }

    /**
     * The class path the components run from when not {@code launcher/target/lib}: under the test suite (surefire),
     * the modules' freshly compiled classes and their dependencies, since {@code package} fills the lib directory
     * only after the tests ran; null otherwise.
     */
    static String testClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp == null || cp.isBlank() ? null : cp;
    }

    private static Path check(Path home) {
        Path lib = home.resolve("launcher/target/lib");
        if (testClassPath() == null && !Files.isDirectory(lib)) {
            throw new IllegalStateException("no jars in " + lib + ": build first (./slipway build)");
        }
        return home.toAbsolutePath().normalize();
    }

    /** Why this machine cannot run a cluster, or null when it can: root, ip, nft, runc, HAProxy, PostgreSQL 15. */
    public static String missing() {
        try {
            if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") != 0) return "not root (namespaces need it)";
        } catch (Exception e) {
            return "not Linux";
        }
        for (String tool : new String[] {"/usr/sbin/ip", "/usr/sbin/nft", "/usr/sbin/runc", "/usr/bin/setpriv"}) {
            if (!Files.isExecutable(Path.of(tool)) && !Files.isExecutable(Path.of(tool.replace("/usr/sbin/", "/sbin/")))
                    && !Files.isExecutable(Path.of(tool.replace("/usr/sbin/", "/usr/bin/")))) {
                return tool.substring(tool.lastIndexOf('/') + 1) + " is missing";
            }
        }
        if (!FrontDoor.available()) return "HAProxy is missing (apt-get install haproxy)";
        if (!PostgresHost.available()) return "PostgreSQL 15 server binaries are missing (apt-get install postgresql-15)";
        return null;
    }
}
