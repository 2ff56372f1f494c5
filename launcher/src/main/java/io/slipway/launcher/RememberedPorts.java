package io.slipway.launcher;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports of the internal services (PostgreSQL, the object store), chosen free on the first run and kept in
 * {@code ports.properties} so every run, and whatever was configured with them, sees the same ones. If a
 * remembered port has been taken by something else meanwhile, a new one is chosen and remembered.
 */
public final class RememberedPorts {
    private final Path file;

    public RememberedPorts(Path file) {
        this.file = file;
    }

    public synchronized int port(String name) {
        Properties props = load();
        String remembered = props.getProperty(name + ".port");
        if (remembered != null) {
            try {
                int port = Integer.parseInt(remembered.trim());
                if (isFree(port)) return port;
            } catch (NumberFormatException ignored) {
                // a hand-edited file: choose again
            }
        }
        int port = freePort();
        props.setProperty(name + ".port", String.valueOf(port));
        save(props);
        return port;
    }

    /** Whether a server could listen on 127.0.0.1:{@code port} right now. */
    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(LauncherConfig.HOST), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A port free on 127.0.0.1 now, chosen below the kernel's ephemeral range where there is room. A port from that
     * range (what binding port 0 gives) can be taken by any outgoing connection on the host between this check and
     * the component's own bind: a clean CI run failed that way, the router's bind answering "Address already in
     * use". Below the range only other listeners compete, and random picks over ~20,000 ports rarely meet.
     */
    public static int freePort() {
        int ephemeralLow = ephemeralRangeStart();
        if (ephemeralLow - FIRST_CHOSEN >= 1000) {
            for (int i = 0; i < 100; i++) {
                int port = ThreadLocalRandom.current().nextInt(FIRST_CHOSEN, ephemeralLow);
                if (isFree(port)) return port;
            }
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LauncherConfig.HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + LauncherConfig.HOST, e);
        }
    }

    /** The lowest port chosen by {@link #freePort}: above the usual fixed ports of services. */
    static final int FIRST_CHOSEN = 10_000;

    /** The first port of Linux's ephemeral range (32768 by default; elsewhere, or unreadable, that default). */
    static int ephemeralRangeStart() {
        try {
            // line by line: Files.readString of a /proc file returns only its first bytes ("3" of "32768 60999")
            Path file = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
            String[] range = Files.readAllLines(file).get(0).trim().split("\\s+");
            return Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }

    private Properties load() {
        Properties props = new Properties();
        if (Files.isRegularFile(file)) {
            try {
                props.load(new StringReader(PrivateFiles.read(file)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return props;
    }

    private void save(Properties props) {
        StringWriter out = new StringWriter();
        try {
            props.store(out, "Internal ports chosen by slipway up; delete a line to choose again");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PrivateFiles.write(file, out.toString());
    }
}
