package io.slipway.gitgateway.repos;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
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
        deleteTree(dir);
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.getLogger(LocalRepository.class.getName()).log(System.Logger.Level.WARNING,
                    "could not delete " + dir + ": " + e);
        }
    }
}
