package io.slipway.gitgateway.repos;

import io.slipway.gitgateway.api.GitAccessClient;
import io.slipway.shared.archive.ExtractionPolicy;
import io.slipway.shared.archive.SafeUntar;
import io.slipway.shared.archive.TreeArchive;
import io.slipway.shared.fs.TreeDelete;
import io.slipway.shared.gitaccess.GitAccessClient.RepoUrls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Each app's bare repository lives in object storage as one tar.gz ({@code repos/<app_id>.tgz}), reached through
 * presigned URLs from the api-server. Any gateway node can serve any app: it restores the archive into a
 * private work directory, serves the request, and after a successful push writes the archive back.
 */
public final class RepositoryStore {
    /** Past this many pack files (one per push) the repository is repacked before it is written back. */
    static final int REPACK_AFTER_PACKS = 20;
    /** The most a stored repository may unpack to (its objects; a larger archive is refused). */
    static final long MAX_REPOSITORY_BYTES = 16L << 30;
    private final GitAccessClient api;
    private final HttpClient http;
    private final Path workDir;

    public RepositoryStore(GitAccessClient api, HttpClient http, Path workDir) {
        this.api = api;
        this.http = http;
        this.workDir = workDir;
    }

    /**
     * The app's repository in a fresh private directory. An app never pushed to has no archive yet (404): it
     * starts as an empty repository whose HEAD names {@code main}, so the first clone checks out the pushed
     * branch.
     */
    public LocalRepository restore(String appId, String appName) throws IOException {
        Path dir = workDir.resolve(appName + "-" + UUID.randomUUID() + ".git");
        boolean done = false;
        try {
            RepoUrls urls = api.repoUrls(appId);
            HttpResponse<InputStream> r = send(HttpRequest.newBuilder(URI.create(urls.getUrl()))
                    .timeout(Duration.ofMinutes(10)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            Repository repository;
            try (InputStream body = r.body()) {
                if (r.statusCode() == 404) {
                    body.transferTo(OutputStream.nullOutputStream());
                    repository = init(dir);
                } else if (r.statusCode() == 200) {
                    // the stored archive is the platform's own, but it is unpacked under the same policy as any other
                    SafeUntar.extract(body, dir, ExtractionPolicy.limitedTo(MAX_REPOSITORY_BYTES));
                    repository = FileRepositoryBuilder.create(dir.toFile());
                    if (!repository.getObjectDatabase().exists()) {
                        repository.close();
                        throw new IOException("the stored archive of " + appName + " is not a git repository");
                    }
                } else {
                    throw new IOException("object storage answered " + r.statusCode() + " for the repository of " + appName);
                }
            }
            configure(repository);
            done = true;
            return new LocalRepository(appName, dir, repository);
        } finally {
            if (!done) TreeDelete.deleteOrLog(dir);
        }
    }

    /** Writes the repository back to object storage (replacing the previous archive in one PUT). */
    public void save(String appId, LocalRepository local) throws IOException {
        repackIfFragmented(local.repository());
        Path archive = workDir.resolve(local.dir().getFileName() + ".tgz");
        try {
            // a ref update in flight elsewhere (a .lock file) is left out
            TreeArchive.write(local.dir(), "", rel -> rel.endsWith(".lock"), archive);
            RepoUrls urls = api.repoUrls(appId);
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(urls.putUrl()))
                    .timeout(Duration.ofMinutes(10))
                    .PUT(HttpRequest.BodyPublishers.ofFile(archive)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IOException("object storage answered " + r.statusCode() + " to the repository upload");
            }
        } finally {
            Files.deleteIfExists(archive);
        }
    }

    /** A private scratch directory under the work directory (source archives and such). */
    public Path scratchFile(String prefix, String suffix) throws IOException {
        Files.createDirectories(workDir);
        return Files.createTempFile(workDir, prefix, suffix);
    }

    private static Repository init(Path dir) throws IOException {
        try {
            return Git.init().setBare(true).setInitialBranch("main").setDirectory(dir.toFile()).call().getRepository();
        } catch (GitAPIException e) {
            throw new IOException("cannot create a repository: " + e.getMessage(), e);
        }
    }

    private static void configure(Repository repository) throws IOException {
        StoredConfig config = repository.getConfig();
        // gc happens in repackIfFragmented, before the archive is written, not after it as JGit would
        config.setBoolean(ConfigConstants.CONFIG_RECEIVE_SECTION, null, ConfigConstants.CONFIG_KEY_AUTOGC, false);
        config.save();
    }

    private static void repackIfFragmented(Repository repository) throws IOException {
        Path packs = repository.getDirectory().toPath().resolve("objects/pack");
        if (!Files.isDirectory(packs)) return;
        long count;
        try (Stream<Path> s = Files.list(packs)) {
            count = s.filter(p -> p.getFileName().toString().endsWith(".pack")).count();
        }
        if (count <= REPACK_AFTER_PACKS) return;
        try (Git git = Git.wrap(repository)) {
            git.gc().setExpire((java.time.Instant) null).call();
        } catch (GitAPIException e) {
            throw new IOException("repack failed: " + e.getMessage(), e);
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
