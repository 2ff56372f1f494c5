package io.slipway.launcher;

import io.slipway.shared.net.LocalPorts;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

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
        return LocalPorts.isFree(LauncherConfig.HOST, port);
    }

    /** A port free on 127.0.0.1 now, below the kernel's ephemeral range where there is room ({@link LocalPorts}). */
    public static int freePort() {
        return LocalPorts.freePort(LauncherConfig.HOST);
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
