package io.slipway.api.pgdata;

import io.slipway.api.addons.Addon;
import io.slipway.api.addons.postgres.PgServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * {@code pg_dump} and {@code pg_restore} of the stack ({@code slipway.addons.postgres.bin-dir}), always as the
 * add-on's own role, never as the server's superuser: a restored archive (possibly from a URL a user gave) runs
 * with no more power than the app's own DATABASE_URL. They reach the server at the admin URL's address (the
 * platform's view of it), and the password travels in the environment, never on a command line.
 */
@Component
public class PgTools {
    private static final long TIMEOUT_HOURS = 6;
    private final PgServer server;

    public PgTools(PgServer server) {
        this.server = server;
    }

    /** Writes a custom-format archive of the add-on's database to {@code file}. */
    public void dump(Addon addon, Path file, Consumer<String> log) throws IOException {
        run(addon, log, "pg_dump", "--format=custom", "--no-owner", "--no-acl", "--file=" + file);
    }

    /** Restores {@code file} into the add-on's database, replacing what the archive names. */
    public void restore(Addon addon, Path file, Consumer<String> log) throws IOException {
        run(addon, log, "pg_restore", "--clean", "--if-exists", "--no-owner", "--no-acl", file.toString());
    }

    private void run(Addon addon, Consumer<String> log, String tool, String... args) throws IOException {
        URI db = URI.create(addon.config().get("URL"));
        String[] userInfo = db.getRawUserInfo().split(":", 2);
        URI admin = URI.create(server.config().adminUrl().substring("jdbc:".length()));
        List<String> command = new ArrayList<>();
        command.add(Path.of(server.config().binDir()).resolve(tool).toString());
        command.add("--host=" + admin.getHost());
        command.add("--port=" + (admin.getPort() > 0 ? admin.getPort() : 5432));
        command.add("--username=" + userInfo[0]);
        command.add("--no-password");
        command.add("--dbname=" + db.getPath().substring(1));
        command.addAll(List.of(args));
        Path errors = Files.createTempFile("slipway-" + tool, ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(errors.toFile());
            Map<String, String> env = pb.environment();
            env.clear(); // nothing of the platform's own environment (its secrets) reaches the tools
            env.put("LANG", "C.UTF-8");
            env.put("PGPASSWORD", userInfo.length > 1 ? userInfo[1] : "");
            env.put("PGCONNECT_TIMEOUT", "10");
            env.put("PGAPPNAME", "slipway-" + tool);
            Process p = pb.start();
            boolean done;
            try {
                done = p.waitFor(TIMEOUT_HOURS, TimeUnit.HOURS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                throw new IOException(tool + " was interrupted");
            }
            if (!done) {
                p.destroyForcibly();
                throw new IOException(tool + " did not finish in " + TIMEOUT_HOURS + " hours");
            }
            List<String> lines = Files.readAllLines(errors);
            // the last lines say what went wrong; they name tables, not credentials
            lines.subList(Math.max(0, lines.size() - 20), lines.size()).forEach(log);
            if (p.exitValue() != 0) throw new IOException(tool + " failed (exit " + p.exitValue() + ")");
        } finally {
            Files.deleteIfExists(errors);
        }
    }
}
