package io.slipway.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The layout of a Slipway data directory (default {@code ~/.slipway}), owner-only throughout:
 * <pre>
 *   postgres/     the PostgreSQL cluster
 *   objects/      the S3 object store (one directory per bucket)
 *   tls/          ca.pem, ca-key.pem, server.pem, server-key.pem
 *   secrets/      one file per generated secret (component tokens, S3 keys, admin password and API key,
 *                 secrets-key: the key config vars are encrypted with; back it up apart from the database)
 *   logs/         postgres.log
 *   agent/        the in-process dyno-agent: its id, slug cache and one directory per running dyno
 *   ports.properties   internal ports chosen on the first run
 *   env.sh        what `source` needs to point the heroku CLI and git at this platform
 *   state.json    present while `slipway up` runs (pid, port)
 * </pre>
 */
public final class DataDir {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Path root;

    private DataDir(Path root) {
        this.root = root;
    }

    /** Creates the directory skeleton if needed (first run) and makes it owner-only. */
    public static DataDir prepare(Path root) {
        DataDir dir = new DataDir(root.toAbsolutePath().normalize());
        PrivateFiles.directory(dir.root);
        PrivateFiles.directory(dir.secrets());
        PrivateFiles.directory(dir.tls());
        PrivateFiles.directory(dir.logs());
        PrivateFiles.directory(dir.objects());
        PrivateFiles.directory(dir.git());
        return dir;
    }

    /** An existing data directory, without creating anything. */
    public static DataDir existing(Path root) {
        return new DataDir(root.toAbsolutePath().normalize());
    }

    public Path root() { return root; }
    public Path postgres() { return root.resolve("postgres"); }
    public Path objects() { return root.resolve("objects"); }
    public Path tls() { return root.resolve("tls"); }
    public Path secrets() { return root.resolve("secrets"); }
    public Path logs() { return root.resolve("logs"); }
    /** The git-gateway's SSH host key and its scratch space for repositories during a push. */
    public Path git() { return root.resolve("git"); }
    /** Scratch space of the in-process build-worker (emptied by the worker when it starts). */
    public Path builds() { return root.resolve("builds"); }
    /** The in-process dyno-agent's state: its id, last event seq, slug cache and dyno directories. */
    public Path agent() { return root.resolve("agent"); }
    public Path portsFile() { return root.resolve("ports.properties"); }
    public Path envFile() { return root.resolve("env.sh"); }
    public Path stateFile() { return root.resolve("state.json"); }

    public Path secretFile(String name) {
        return secrets().resolve(name);
    }

    public Optional<String> secret(String name) {
        Path file = secretFile(name);
        if (!Files.isRegularFile(file)) return Optional.empty();
        String value = PrivateFiles.read(file).trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** The named secret, generated and stored (mode 600) the first time it is asked for. */
    public String secret(String name, Supplier<String> generate) {
        return secret(name).orElseGet(() -> {
            String value = generate.get();
            storeSecret(name, value);
            return value;
        });
    }

    public void storeSecret(String name, String value) {
        PrivateFiles.write(secretFile(name), value + "\n");
    }

    /** A URL-safe random string carrying {@code bytes} bytes of entropy. */
    public static String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /**
     * A config-vars encryption key as the api-server reads it: {@code k<yyyymmdd>:<base64 of 32 random bytes>}
     * (the id records when it was made, which helps when several keys are kept during a rotation).
     */
    public static String newSecretsKey() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        String day = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString().replace("-", "");
        return "k" + day + ":" + Base64.getEncoder().encodeToString(b);
    }

    /** An S3-style access key id: 20 upper-case alphanumerics. */
    public static String randomAccessKey() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder sb = new StringBuilder("SLIP");
        while (sb.length() < 20) sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        return sb.toString();
    }
}
