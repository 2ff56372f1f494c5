package io.slipway.launcher;

import io.slipway.api.accounts.CreateUser;
import io.slipway.api.errors.DomainException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code slipway users:create EMAIL [--password P] [--admin] [--data-dir DIR]}: prints the new user's API key
 * (alone on stdout, so {@code KEY=$(slipway users:create ...)} works). Through the running platform's internal
 * API when {@code up} runs on that data directory; otherwise by starting its PostgreSQL and the api-server's
 * beans without a web server for the time it takes.
 */
public final class UsersCreateCommand {
    /** The key, and whether a running platform made it (else the database was opened directly). */
    public record Result(String apiKey, boolean viaRunningPlatform) {}

    private UsersCreateCommand() {}

    static int run(List<String> argv) {
        Args args = Args.parse(argv, Set.of("password", "data-dir"), Set.of("admin"));
        if (args.positionals().size() != 1) throw new UsageException("users:create takes exactly one EMAIL.");
        Path dataDir = Path.of(args.option("data-dir", LauncherConfig.defaultDataDir().toString()));
        String email = args.positionals().get(0);
        Result result = create(dataDir, email, args.option("password", null), args.flag("admin"));
        System.err.println("Created " + email + (args.flag("admin") ? " (admin)" : "") + ". API key:");
        System.out.println(result.apiKey());
        return 0;
    }

    public static Result create(Path dataDirPath, String email, String password, boolean admin) {
        DataDir dir = DataDir.existing(dataDirPath);
        Optional<StateFile.State> running = StateFile.live(dir.stateFile());
        if (running.isPresent()) {
            StateFile.State s = running.get();
            String token = PrivateFiles.read(Path.of(s.operatorTokenFile())).trim();
            String key = new InternalUsersClient(s.internalUrl(), token).create(email, password, admin);
            return new Result(key, true);
        }
        return new Result(createOffline(dir, email, password, admin), false);
    }

    private static String createOffline(DataDir dir, String email, String password, boolean admin) {
        if (!Files.exists(dir.postgres().resolve("PG_VERSION"))) {
            throw new IllegalStateException("No Slipway platform in " + dir.root()
                    + ": run `slipway up --data-dir " + dir.root() + "` once first.");
        }
        String pgPassword = dir.secret(Platform.POSTGRES_PASSWORD)
                .orElseThrow(() -> new IllegalStateException("missing " + dir.secretFile(Platform.POSTGRES_PASSWORD)));
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.postgres(), new RememberedPorts(dir.portsFile()), pgPassword,
                dir.logs().resolve("postgres.log"));
             ConfigurableApplicationContext api = ApiServerRunner.startOffline(db, secretsKey(dir))) {
            return api.getBean(CreateUser.class).create(email, password, admin).apiKey();
        } catch (DomainException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The data dir's secrets key file, made here when a data dir from before encryption never ran `up` since. */
    private static Path secretsKey(DataDir dir) {
        dir.secret(Platform.SECRETS_KEY, DataDir::newSecretsKey);
        return dir.secretFile(Platform.SECRETS_KEY);
    }
}
