package io.slipway.launcher;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The host's primary IPv4 address: the source address of its default route, which dynos (through the host's
 * network) and users on the same network reach add-on servers at; 127.0.0.1 when the host has no route out.
 * Found by connecting a UDP socket, which only asks the kernel for a route: no packet is sent.
 */
public final class HostAddress {
    /** TEST-NET-3 (RFC 5737): never used on a real network, so only the default route can match it. */
    private static final InetSocketAddress ANY_REMOTE = new InetSocketAddress("203.0.113.1", 9);

    private HostAddress() {}

    public static String primaryIpv4() {
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(ANY_REMOTE);
            InetAddress local = probe.getLocalAddress();
            if (local instanceof Inet4Address && !local.isAnyLocalAddress()) return local.getHostAddress();
        } catch (IOException | RuntimeException noRoute) {
            // no default route: fall through
        }
        return LauncherConfig.HOST;
    }
}
