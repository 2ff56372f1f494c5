package io.slipway.buildworker.buildpacks;

import io.slipway.shared.archive.ExtractionPolicy;
import io.slipway.shared.archive.SafeUntar;
import io.slipway.shared.fs.TreeDelete;
import io.slipway.buildworker.fs.IoErrors;
import io.slipway.shared.net.GuardedHttpClient;
import io.slipway.shared.net.OutboundPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Turns what an app names as a buildpack into a directory: a built-in (by urn or name), an https tarball
 * ({@code .tgz}/{@code .tar.gz}), an https git repository with an optional {@code #ref} (branch, tag or commit;
 * fetched with the {@code git} CLI at depth 1), or an absolute local path an operator prepared. URLs are a
 * user's: they go only to addresses the {@link OutboundPolicy} allows (tarballs through the
 * {@link GuardedHttpClient}; git is pinned to the checked address and follows no redirects), size and time capped.
 */
public final class BuildpackResolver {
    private static final Duration FETCH_TIMEOUT = Duration.ofMinutes(3);
    private static final long MAX_BUILDPACK_BYTES = 1L << 30;

    private final BuiltinBuildpacks builtins;
    private final GuardedHttpClient http;
    private final long maxDownloadBytes;
    private final Duration downloadTimeout;

    /** The buildpack could not be fetched or is not a buildpack; the message names it and says why. */
    public static final class BuildpackFetchException extends IOException {
        public BuildpackFetchException(String message) {
            super(message);
        }
    }

    public BuildpackResolver(BuiltinBuildpacks builtins, GuardedHttpClient http, long maxDownloadBytes,
                             Duration downloadTimeout) {
        this.builtins = builtins;
        this.http = http;
        this.maxDownloadBytes = maxDownloadBytes;
        this.downloadTimeout = downloadTimeout;
    }

    /** @param target an empty directory of this build to fetch into (unused for built-ins) */
    public Buildpack resolve(String reference, Path target) throws BuildpackFetchException {
        String shown = redact(reference);
        var builtin = builtins.named(reference);
        if (builtin.isPresent()) return builtin.get();
        try {
            Path dir;
            if (reference.startsWith("/")) {
                dir = copyLocal(Path.of(reference), target, shown);
            } else if (reference.startsWith("https://") || reference.startsWith("http://")) {
                URI uri = URI.create(reference);
                String path = uri.getPath() == null ? "" : uri.getPath().toLowerCase(Locale.ROOT);
                dir = path.endsWith(".tgz") || path.endsWith(".tar.gz")
                        ? downloadTarball(uri, target, shown)
                        : gitFetch(reference, target, shown);
            } else {
                throw new BuildpackFetchException("Unknown buildpack " + shown + ": use one of the built-in buildpacks ("
                        + String.join(", ", BuiltinBuildpacks.ORDER) + "), an https URL of a git repository or "
                        + "tarball, or an absolute path on the build worker");
            }
            return prepare(new Buildpack(shown, dir));
        } catch (BuildpackFetchException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new BuildpackFetchException("Invalid buildpack URL " + shown);
        } catch (IOException e) {
            throw new BuildpackFetchException("Failed to fetch buildpack " + shown + ": " + e.getMessage());
        }
    }

    private Path downloadTarball(URI uri, Path target, String shown) throws IOException {
        Files.createDirectories(target);
        Path file = target.resolveSibling(target.getFileName() + ".tgz");
        try {
            http.download(uri.toString(), file, maxDownloadBytes, downloadTimeout);
        } catch (IOException e) { // refusals and caps carry their own message
            throw new BuildpackFetchException("Failed to download buildpack " + shown + ": " + IoErrors.describe(e));
        }
        try {
            SafeUntar.extract(file, target, ExtractionPolicy.limitedTo(MAX_BUILDPACK_BYTES));
        } catch (IOException e) {
            throw new BuildpackFetchException("Buildpack " + shown + " is not a usable tar.gz: " + e.getMessage());
        } finally {
            Files.deleteIfExists(file);
        }
        // tarballs of a repository (GitHub's, for one) hold a single top directory around bin/
        // (looked at without following links: a top "directory" that is a link to / is no buildpack)
        if (!Files.isDirectory(target.resolve("bin"), LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> children = Files.list(target)) {
                List<Path> dirs = children.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList();
                if (dirs.size() == 1 && Files.isDirectory(dirs.get(0).resolve("bin"), LinkOption.NOFOLLOW_LINKS)) {
                    return dirs.get(0);
                }
            }
        }
        return target;
    }

    private Path gitFetch(String reference, Path target, String shown) throws IOException {
        int hash = reference.indexOf('#');
        String url = hash < 0 ? reference : reference.substring(0, hash);
        String ref = hash < 0 || hash == reference.length() - 1 ? "HEAD" : reference.substring(hash + 1);
        if (ref.startsWith("-")) throw new BuildpackFetchException("Invalid ref in buildpack URL " + shown);
        URI uri = URI.create(url);
        InetAddress address = http.policy().resolve(uri.getHost())[0];
        int port = uri.getPort() > 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        String pinned = address instanceof java.net.Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        Files.createDirectories(target);
        git(target, shown, "init", "-q", ".");
        // a fetch by name works for branches, tags and (on servers that allow it) commit shas alike; curl is
        // told the address that was checked (no second lookup), follows no redirect, and speaks only http(s)
        git(target, shown, "-c", "http.curloptResolve=" + uri.getHost() + ":" + port + ":" + pinned,
                "-c", "http.followRedirects=false", "-c", "protocol.allow=never", "-c", "protocol.https.allow=always",
                "-c", "protocol.http.allow=always", "-c", "http.proxy=",
                "fetch", "-q", "--depth", "1", "--", url, ref);
        git(target, shown, "-c", "advice.detachedHead=false", "checkout", "-q", "FETCH_HEAD");
        return target;
    }

    private static void git(Path dir, String shown, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("GIT_TERMINAL_PROMPT", "0"); // never wait for a password nobody will type
        pb.environment().put("GIT_ASKPASS", "/bin/false");
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        // a proxy from the worker's environment would do the connecting (and resolving) instead of the pinned address
        pb.environment().keySet().removeIf(k -> k.toLowerCase(Locale.ROOT).endsWith("_proxy"));
        Process p = pb.start();
        byte[] output;
        try {
            output = p.getInputStream().readNBytes(64 * 1024);
            if (!p.waitFor(FETCH_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new BuildpackFetchException("Timed out fetching buildpack " + shown);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BuildpackFetchException("Interrupted while fetching buildpack " + shown);
        }
        if (p.exitValue() != 0) {
            String why = new String(output, StandardCharsets.UTF_8).strip().replace('\n', ' ');
            throw new BuildpackFetchException("Failed to fetch buildpack " + shown + ": " + redact(why));
        }
    }

    private static Path copyLocal(Path source, Path target, String shown) throws IOException {
        if (!Files.isDirectory(source)) {
            throw new BuildpackFetchException("Buildpack " + shown + " is not a directory on this build worker");
        }
        // a copy, so the per-build export file never lands in the operator's directory
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(target.resolve(source.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, target.resolve(source.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES,
                        LinkOption.NOFOLLOW_LINKS);
                return FileVisitResult.CONTINUE;
            }
        });
        return target;
    }

    /** Checks the directory is a buildpack, makes its scripts executable and adds the export mount point. */
    private static Buildpack prepare(Buildpack buildpack) throws IOException {
        Path bin = buildpack.dir().resolve("bin");
        // bin/ itself must be a real directory of the buildpack (never a link the worker would look through);
        // its scripts may be links, which only the container resolves
        boolean binIsDirectory = Files.isDirectory(buildpack.dir(), LinkOption.NOFOLLOW_LINKS)
                && Files.isDirectory(bin, LinkOption.NOFOLLOW_LINKS);
        for (String script : List.of("detect", "compile")) {
            if (!binIsDirectory || !Files.exists(bin.resolve(script), LinkOption.NOFOLLOW_LINKS)) {
                TreeDelete.deleteOrThrow(buildpack.dir());
                throw new BuildpackFetchException("Buildpack " + buildpack.reference() + " has no bin/" + script);
            }
        }
        for (String script : List.of("detect", "compile", "release")) {
            Path file = bin.resolve(script);
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Path export = buildpack.dir().resolve("export");
        if (Files.isSymbolicLink(export) || Files.isDirectory(export)) TreeDelete.deleteOrThrow(export);
        if (!Files.exists(export)) Files.createFile(export);
        return buildpack;
    }

    /** Removes credentials from a URL ({@code https://user:token@host/...}) before it is shown anywhere. */
    public static String redact(String text) {
        return text.replaceAll("(https?://)[^/@\\s]+@", "$1");
    }
}
