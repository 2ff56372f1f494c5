package io.slipway.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code <data-dir>/state.json}: written once {@code slipway up} serves, removed on a clean stop. Other
 * commands on the same data directory ({@code users:create}) read it to find the running platform. A file
 * left by a killed launcher is recognised as stale: its pid is gone or its port does not answer.
 */
public final class StateFile {
    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    /**
     * What a running platform tells other commands: its public URL, its internal listener and the file holding
     * the operator's internal token ({@code users:create}).
     */
    public record State(long pid, String url, int port, String internalUrl, String operatorTokenFile, String caCert,
                        String startedAt) {}

    private StateFile() {}

    public static void write(Path file, State state) {
        PrivateFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state) + "\n");
    }

    public static Optional<State> read(Path file) {
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            return Optional.of(JSON.readValue(PrivateFiles.read(file), State.class));
        } catch (JacksonException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** The state of a platform that is really running: live pid and a port that accepts connections. */
    public static Optional<State> live(Path file) {
        return read(file).filter(s -> pidAlive(s.pid()) && answers(s.port()));
    }

    public static void remove(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove " + file, e);
        }
    }

    private static boolean pidAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LauncherConfig.HOST, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
