package io.slipway.shared.sandbox;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.shared.net.LocalPorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An owner killed outright leaves its nftables table, and the table's {@code web} map keeps sending the host's
 * connections to a port it published to a sandbox that is gone. A server started later on that port (a test's
 * object store, another owner's dyno) could not be reached: this once hung a test for minutes. The next owner to
 * start removes such a table, and never the table of an owner that still runs.
 */
class EndedOwnerTableTest {
    private static final Cidr POOL = Cidr.parse("10.251.0.0/16");

    @TempDir
    Path tmp;

    @BeforeAll
    static void needsRootAndTools() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "nftables needs root");
        Assumptions.assumeTrue(SandboxNetwork.missingTools() == null, "needs ip and nft");
    }

    @Test
    void aTableLeftByAnEndedOwnerStopsHijackingTheHostsConnectionsOnceAnotherOwnerStarts() throws Exception {
        Process ended = new ProcessBuilder("sleep", "0.3").start();
        long startTicks = TableOwner.startTicks(ended.pid());
        ended.waitFor();
        Cidr claimed = Cidr.parse("10.251.7.0/24");
        TableOwner gone = new TableOwner(ended.pid(), startTicks, TableOwner.current(claimed).pidNamespace(), claimed);
        assertTrue(gone.isGone());
        String tag = "e" + UUID.randomUUID().toString().substring(0, 5);
        int port = LocalPorts.freePort();
        leaveTable(tag, gone, port);
        TableOwner running = TableOwner.current(Cidr.parse("10.251.8.0/24"));
        String liveTag = "l" + UUID.randomUUID().toString().substring(0, 5);
        leaveTable(liveTag, running, LocalPorts.freePort());
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertThrows(IOException.class, () -> connect(port), "the ended owner's map takes the connection");

            SandboxNetwork.open("test-" + UUID.randomUUID(), POOL, List.of(), tmp).close();

            assertDoesNotThrow(() -> connect(port));
            String tables = HostCommand.run(List.of("nft", "list", "tables", "ip"), null);
            assertFalse(tables.contains(OwnerLeftovers.table(tag)), tables);
            assertTrue(tables.contains(OwnerLeftovers.table(liveTag)), "a running owner's table stays: " + tables);
            assertFalse(HostCommand.run(List.of("ip", "route", "show", "table", "all"), null)
                    .contains("blackhole " + claimed), "the ended owner's block is released");
        } finally {
            OwnerLeftovers.remove(tag, claimed);
            OwnerLeftovers.remove(liveTag, running.subnet());
        }
    }

    @Test
    void anOwnerIsGoneOnlyWhenNoProcessWithItsIdAndStartRuns() {
        TableOwner self = TableOwner.current(Cidr.parse("10.251.9.0/24"));
        assertTrue(self.startTicks() >= 0, "this process's start is read from /proc");
        assertFalse(self.isGone());
        assertTrue(new TableOwner(self.pid(), self.startTicks() + 1, self.pidNamespace(), self.subnet()).isGone(),
                "a reused process id is not the owner");
        assertFalse(new TableOwner(self.pid(), self.startTicks() + 1, "pid:[1]", self.subnet()).isGone(),
                "an owner in another PID namespace is never taken for gone");
        assertTrue(TableOwner.inListing("table ip slipway_x {\n\tcomment \"" + self.comment() + "\"\n}")
                .orElseThrow().equals(self), "the comment reads back as the owner");
    }

    /** What an owner killed after publishing {@code port} leaves: its table, the port in its map, its claim. */
    private static void leaveTable(String tag, TableOwner owner, int port) throws IOException {
        HostCommand.run(List.of("ip", "route", "add", "blackhole", owner.subnet().toString()), null);
        HostCommand.run(List.of("nft", "-f", "-"), NftRuleset.table(OwnerLeftovers.table(tag),
                NftRuleset.ALL_PREFIX + tag, owner.subnet(), List.of(POOL), List.of(), owner.comment()));
        HostCommand.run(List.of("nft", "add", "element", "ip", OwnerLeftovers.table(tag), "web",
                "{ " + port + " : " + owner.subnet().host(2) + " }"), null);
    }

    private static void connect(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
        }
    }
}
