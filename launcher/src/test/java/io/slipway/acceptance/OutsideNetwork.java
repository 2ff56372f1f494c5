package io.slipway.acceptance;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace of the test's own that stands for "the internet" as builds and dynos see it: they are
 * sandboxed away from this host's addresses (docs/security.md), so a server the test runs on the host is offered
 * to them through a TCP relay ({@code socat}) in that namespace, at an address of 198.19.0.0/16 (a benchmarking
 * range no sandbox rule denies). The host side of the link is {@link #hostAddress()}: bind the server there.
 */
final class OutsideNetwork implements AutoCloseable {
    private final String namespace;
    private final String hostLink;
    private final String hostAddress;
    private final String outsideAddress;
    private Process relay;

    OutsideNetwork() throws IOException, InterruptedException {
        String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        int octet = ThreadLocalRandom.current().nextInt(1, 250);
        namespace = "slwout-" + tag;
        hostLink = "swo" + tag;
        hostAddress = "198.19." + octet + ".1";
        outsideAddress = "198.19." + octet + ".2";
        sh("ip netns add " + namespace);
        sh("ip link add " + hostLink + " type veth peer name eth0 netns " + namespace);
        sh("ip addr add " + hostAddress + "/30 dev " + hostLink + " && ip link set " + hostLink + " up");
        sh("ip -n " + namespace + " addr add " + outsideAddress + "/30 dev eth0 && ip -n " + namespace
                + " link set eth0 up && ip -n " + namespace + " link set lo up");
    }

    /** The host's end of the link: where the relayed server listens. */
    String hostAddress() {
        return hostAddress;
    }

    /** Relays {@code outsideAddress():port} to {@code hostAddress():port}; answers the outside address. */
    String relay(int port) throws IOException, InterruptedException {
        relay = new ProcessBuilder("ip", "netns", "exec", namespace, "socat",
                "TCP-LISTEN:" + port + ",bind=" + outsideAddress + ",fork,reuseaddr", "TCP:" + hostAddress + ":" + port)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(outsideAddress, port), 1000);
                return outsideAddress;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !relay.isAlive()) throw new IOException("the relay did not start", notYet);
                Thread.sleep(100);
            }
        }
    }

    @Override
    public void close() {
        if (relay != null) relay.destroyForcibly();
        try {
            sh("ip netns del " + namespace + " 2>/dev/null; ip link del " + hostLink + " 2>/dev/null; true");
        } catch (IOException | InterruptedException e) {
            // best effort: the namespace goes with the machine
        }
    }

    private static void sh(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(command + ": " + out);
    }
}
