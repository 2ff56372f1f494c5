package io.slipway.acceptance;

import io.slipway.shared.testing.ScratchDirs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The stock {@code heroku} CLI (npm {@code heroku@11.10.0}, unmodified), installed on first use into
 * {@code $SLIPWAY_CACHE_DIR/heroku-cli-<version>} (default {@code ~/.cache/slipway}) and run with an isolated HOME, telemetry and update checks off,
 * and every side channel (particleboard) pointed at the platform under test, as {@code env.sh} does for users.
 */
public final class HerokuCli {
    /** The CLIs' homes (config, caches, git credentials) go when the test JVM ends; no platform data is in them. */
    private static final ScratchDirs HOMES = ScratchDirs.untilExit();
    public static final String VERSION = System.getProperty("slipway.heroku-cli.version", "11.10.0");
    private final Path bin;
    private final Path home;
    private final Map<String, String> env = new HashMap<>();

    public record Result(int exitCode, String stdout, String stderr) {
        public String output() {
            return stdout + stderr;
        }

        public Result ok() {
            if (exitCode != 0) throw new AssertionError("heroku exited " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
            return this;
        }
    }

    private HerokuCli(Path bin, Path home) {
        this.bin = bin;
        this.home = home;
    }

    /** A CLI logged in to {@code platform} as its administrator. */
    public static HerokuCli asAdminOf(io.slipway.launcher.Platform platform) throws IOException, InterruptedException {
        return forPlatform(platform.config().publicUrl(), platform.adminApiKey(), platform.tls().caCert());
    }

    /** A CLI for {@code apiUrl} (https://127.0.0.1:PORT) authenticated with {@code apiKey}, trusting {@code caPem}. */
    public static HerokuCli forPlatform(String apiUrl, String apiKey, Path caPem) throws IOException, InterruptedException {
        HerokuCli cli = new HerokuCli(install(), HOMES.create("heroku-home"));
        cli.env.put("HOME", cli.home.toString());
        cli.env.put("XDG_CONFIG_HOME", cli.home.resolve(".config").toString());
        cli.env.put("XDG_DATA_HOME", cli.home.resolve(".local/share").toString());
        cli.env.put("XDG_CACHE_HOME", cli.home.resolve(".cache").toString());
        cli.env.put("GIT_CONFIG_NOSYSTEM", "1");
        cli.env.put("HEROKU_HOST", apiUrl);
        if (apiKey != null) cli.env.put("HEROKU_API_KEY", apiKey);
        cli.env.put("HEROKU_PARTICLEBOARD_URL", apiUrl);
        // the data commands (pg:*, redis:*) call https://$HEROKU_DATA_HOST; Slipway serves them on the API's port
        cli.env.put("HEROKU_DATA_HOST", java.net.URI.create(apiUrl).getHost()); // host only: the CLI keeps HEROKU_HOST's port
        cli.env.put("HEROKU_ANALYTICS_URL", "http://127.0.0.1:9/");
        cli.env.put("HEROKU_LOGIN_HOST", "http://127.0.0.1:9");
        cli.env.put("NODE_EXTRA_CA_CERTS", caPem.toString());
        cli.env.put("GIT_SSL_CAINFO", caPem.toString());
        cli.env.put("DISABLE_TELEMETRY", "true");
        cli.env.put("IS_HEROKU_TEST_ENV", "true");
        cli.env.put("HEROKU_SKIP_ANALYTICS", "1");
        cli.env.put("HEROKU_SKIP_NEW_VERSION_CHECK", "true");
        cli.env.put("HEROKU_DISABLE_AUTOUPDATE", "1");
        cli.env.put("HEROKU_NOTIFICATIONS", "0");
        cli.env.put("NO_COLOR", "1");
        cli.env.put("FORCE_COLOR", "0");
        cli.env.put("TERM", "dumb");
        // git runs the CLI's credential helper ("!heroku git:credentials") by name
        cli.env.put("PATH", cli.bin.getParent() + ":" + System.getenv("PATH"));
        return cli;
    }

    public HerokuCli withApiKey(String key) {
        HerokuCli copy = new HerokuCli(bin, home);
        copy.env.putAll(env);
        if (key == null) copy.env.remove("HEROKU_API_KEY");
        else copy.env.put("HEROKU_API_KEY", key);
        return copy;
    }

    public Path home() {
        return home;
    }

    public Result run(String... args) throws IOException, InterruptedException {
        return run(null, null, 120, args);
    }

    /** A process builder for a long-running command ({@code logs --tail}) that the caller starts and stops. */
    public ProcessBuilder processBuilder(String... args) {
        List<String> command = new ArrayList<>();
        command.add(bin.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
        pb.environment().putAll(env);
        pb.environment().remove("HEROKU_APP");
        return pb;
    }

    /** Runs in {@code dir} (or the isolated home), feeding {@code stdin} (or nothing), bounded by {@code timeoutSeconds}. */
    public Result run(Path dir, String stdin, int timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(bin.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory((dir == null ? home : dir).toFile());
        pb.environment().putAll(env);
        pb.environment().remove("HEROKU_APP");
        Path out = Files.createTempFile("heroku-out", ".txt");
        Path err = Files.createTempFile("heroku-err", ".txt");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("heroku " + String.join(" ", args) + " did not finish in " + timeoutSeconds
                        + " s");
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            deleteQuietly(out, err); // read above: a failed or timed-out run leaves no file behind either
        }
    }

    private static void deleteQuietly(Path... files) throws IOException {
        for (Path f : files) Files.deleteIfExists(f);
    }

    /**
     * Answers interactive prompts ({@code login -i}) one line at a time, each once its prompt is shown: the CLI's
     * prompt library swallows input written before that. Stdin stays open until the CLI exits, so the last answer
     * is never cut off by an early end of input.
     */
    public Result runAnswering(List<String> answers, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(bin.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
        pb.environment().putAll(env);
        Path out = Files.createTempFile("heroku-out", ".txt");
        Path err = Files.createTempFile("heroku-err", ".txt");
        try {
            return answerPrompts(pb, out, err, answers, args);
        } finally {
            deleteQuietly(out, err);
        }
    }

    private Result answerPrompts(ProcessBuilder pb, Path out, Path err, List<String> answers, String... args)
            throws IOException, InterruptedException {
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try (var stdin = p.getOutputStream()) {
            String prompt = null;
            String answered = null;
            for (String answer : answers) {
                prompt = awaitPrompt(p, List.of(out, err), prompt, answered);
                if (prompt == null) break; // the CLI exited early (e.g. a refused login); its output says why
                stdin.write((answer + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
                answered = answer;
            }
            p.waitFor(120, TimeUnit.SECONDS);
        } catch (IOException ignored) {
            // the CLI may already have exited (e.g. a refused login); its output says why
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("heroku " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static final Pattern TERMINAL_CONTROL = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");

    /**
     * Waits for a new prompt: an unfinished last line of stdout or stderr (the prompt library leaves the cursor
     * there, {@code ? Email}), other than the previous prompt and its answer redrawn. Answers the prompt, or null
     * when the CLI exited first.
     */
    private static String awaitPrompt(Process p, List<Path> streams, String previous, String answered)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (Path stream : streams) {
                String text = TERMINAL_CONTROL.matcher(Files.readString(stream)).replaceAll("");
                String line = text.substring(Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r')) + 1).strip();
                boolean redrawn = line.equals(previous) || (answered != null && line.contains(answered));
                if (!line.isEmpty() && !redrawn) return line;
            }
            if (!p.isAlive()) return null;
            Thread.sleep(50);
        }
        throw new AssertionError("no prompt from the CLI; output so far: " + Files.readString(streams.get(0))
                + Files.readString(streams.get(1)));
    }

    /**
     * Runs {@code git} in {@code dir} with this CLI's environment: its HOME (where the CLI wrote the credential
     * helper {@code !heroku git:credentials} into .gitconfig), its PATH (so git finds {@code heroku}) and CA trust.
     */
    public Result git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().putAll(env);
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        Path out = Files.createTempFile("git-out", ".txt");
        Path err = Files.createTempFile("git-err", ".txt");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("git " + String.join(" ", args) + " did not finish");
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            deleteQuietly(out, err);
        }
    }

    /**
     * The CLI that {@code ./slipway test} installed before Maven started ({@code launcher/scripts/install-heroku-cli.sh},
     * into {@code $SLIPWAY_CACHE_DIR}, default {@code ~/.cache/slipway}). When a test is run on its own from an IDE
     * without that step, it installs it the same way, with npm's output in a file and its stdin closed: a child
     * that inherited the surefire fork's stdio would write into the fork's channel to Maven and leave its stdin
     * non-blocking, which fails the build after every test passed.
     */
    static synchronized Path install() throws IOException, InterruptedException {
        Path prefix = cliPrefix();
        Path bin = prefix.resolve("node_modules/.bin/heroku");
        if (Files.isExecutable(bin)) return bin;
        Files.createDirectories(prefix);
        Path pkg = prefix.resolve("package.json");
        if (!Files.exists(pkg)) Files.writeString(pkg, "{\"name\":\"slipway-heroku-cli\",\"private\":true}\n");
        Path log = prefix.resolve("npm-install.log");
        Process p = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "heroku@" + VERSION)
                .directory(prefix.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("npm install heroku@" + VERSION + " failed; see " + log);
        }
        return bin;
    }

    /** Where the CLI lives: the same place the install script uses. */
    static Path cliPrefix() {
        String cache = System.getenv("SLIPWAY_CACHE_DIR");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "slipway");
        return base.resolve("heroku-cli-" + VERSION);
    }
}
