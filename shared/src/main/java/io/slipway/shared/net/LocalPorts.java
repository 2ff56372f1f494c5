package io.slipway.shared.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports that are free now for a server that binds them a moment later: the launcher's internal services, and
 * every test that hands a port to a server (or keeps one closed) instead of binding it itself.
 */
public final class LocalPorts {
    private LocalPorts() {}

    /** The lowest port chosen by {@link #freePort}: above the usual fixed ports of services. */
    public static final int FIRST_CHOSEN = 10_000;
    /** How many of its latest choices this process never chooses again (see {@link #freePort()}). */
    static final int REMEMBERED = 4096;
    private static final Set<Integer> GIVEN = new LinkedHashSet<>(); // oldest first; guarded by itself

    /**
     * A port free on the wildcard address, so free on every address of the host now, chosen below the kernel's
     * ephemeral range where there is room. A port from that range (what binding port 0 gives) can be taken by any
     * outgoing connection on the host between this check and the component's own bind: a clean CI run failed that
     * way, the router's bind answering "Address already in use". Below the range only other listeners compete, and
     * random picks over ~20,000 ports rarely meet. (A port meant to stay closed is safer there too: a connection to a
     * closed port of the range may be given that very port as its source and connect to itself.)
     *
     * <p>The same process never gets a port it was given among its last {@value #REMEMBERED} choices: the port is
     * free until its server binds it, so a second choice made meanwhile could pick it again. A clean CI run failed
     * that way: a test chose the platform's API port, the platform chose its {@code heroku run} rendezvous port
     * while starting, before Tomcat bound the first, and got the same one.
     */
    public static int freePort() {
        return choose(null);
    }

    /** As {@link #freePort()}, but free on {@code host} only (the launcher's services listen on 127.0.0.1). */
    public static int freePort(String host) {
        return choose(address(host));
    }

    /** Whether a server could listen on {@code host:port} right now. */
    public static boolean isFree(String host, int port) {
        return isFree(address(host), port);
    }

    /** The first port of Linux's ephemeral range (32768 by default; elsewhere, or unreadable, that default). */
    public static int ephemeralRangeStart() {
        try {
            // line by line: Files.readString of a /proc file returns only its first bytes ("3" of "32768 60999")
            Path file = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
            String[] range = Files.readAllLines(file).get(0).trim().split("\\s+");
            return Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }

    /** {@code host} null: the wildcard address. */
    private static int choose(InetAddress host) {
        int ephemeralLow = ephemeralRangeStart();
        if (ephemeralLow - FIRST_CHOSEN >= 1000) {
            for (int i = 0; i < 100; i++) {
                int port = ThreadLocalRandom.current().nextInt(FIRST_CHOSEN, ephemeralLow);
                if (!wasGiven(port) && isFree(host, port) && give(port)) return port;
            }
        }
        for (int i = 0; i < 100; i++) {
            int port;
            try (ServerSocket s = new ServerSocket()) {
                s.bind(host == null ? new InetSocketAddress(0) : new InetSocketAddress(host, 0), 1);
                port = s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("no free port on " + (host == null ? "the wildcard address" : host), e);
            }
            if (give(port)) return port;
        }
        throw new UncheckedIOException(new IOException("no port free on " + (host == null ? "the wildcard address" : host)
                + " that this process was not given already"));
    }

    private static boolean wasGiven(int port) {
        synchronized (GIVEN) {
            return GIVEN.contains(port);
        }
    }

    /** Notes {@code port} as given; false when another thread was given it first. */
    private static boolean give(int port) {
        synchronized (GIVEN) {
            if (!GIVEN.add(port)) return false;
            if (GIVEN.size() > REMEMBERED) {
                Iterator<Integer> oldest = GIVEN.iterator();
                oldest.next();
                oldest.remove();
            }
            return true;
        }
    }

    private static boolean isFree(InetAddress host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static InetAddress address(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new UncheckedIOException(e);
        }
    }
}
