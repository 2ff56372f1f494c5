package io.slipway.launcher.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code slipway down}'s clean-up runs as root over what the cluster's tenants left in its data directory. */
class ClusterDownTest {
    @TempDir
    Path cluster;

    @TempDir
    Path outside;

    @Test
    void removesTheDataButTheLogsAndNeverFollowsATenantsLink() throws Exception {
        Path keep = Files.writeString(outside.resolve("keep.txt"), "not the cluster's");
        Path app = Files.createDirectories(cluster.resolve("hosts/a/agent/dynos/web.1/slug/app"));
        Files.createSymbolicLink(app.resolve("escape"), outside);
        Files.writeString(app.resolve("server.sh"), "echo hi\n");
        Path log = Files.writeString(Files.createDirectories(cluster.resolve("logs")).resolve("a.agent.log"), "log\n");
        Files.writeString(cluster.resolve("env.sh"), "export X=1\n");

        ClusterDown.removeData(new ClusterDir(cluster));

        assertFalse(Files.exists(cluster.resolve("hosts"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(cluster.resolve("env.sh")));
        assertEquals("log\n", Files.readString(log), "the logs stay");
        assertEquals("not the cluster's", Files.readString(keep), "what the link pointed at is untouched");
    }
}
