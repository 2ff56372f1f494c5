package io.slipway.gitgateway.repos;

import io.slipway.shared.fs.TreeDelete;
import java.nio.file.Path;
import org.eclipse.jgit.lib.Repository;

/**
 * An app's bare repository restored into a private directory for one request. Closing it deletes the copy:
 * object storage holds the repository, the gateway's disk only borrows it.
 */
public final class LocalRepository implements AutoCloseable {
    private final String app;
    private final Path dir;
    private final Repository repository;

    LocalRepository(String app, Path dir, Repository repository) {
        this.app = app;
        this.dir = dir;
        this.repository = repository;
    }

    public String app() { return app; }
    public Path dir() { return dir; }
    public Repository repository() { return repository; }

    @Override
    public void close() {
        repository.close();
        TreeDelete.deleteOrLog(dir); // a pushed repository is the tenant's tree: links are not followed
    }
}
