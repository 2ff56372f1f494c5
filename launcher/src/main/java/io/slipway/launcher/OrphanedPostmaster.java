package io.slipway.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL left running by a launcher that was killed (kill -9, a crash): pg_ctl starts the server in its
 * own session, so it outlives the JVM, and would keep the cluster from starting again. Before starting, such
 * a server (the pid in {@code postmaster.pid}, alive, and a postgres process serving this very directory) is
 * asked to shut down (SIGTERM, "smart": its clients died with the launcher).
 *
 * <p>A server is an orphan only if no live launcher holds the cluster: zonky keeps a file lock on
 * {@code epg-lock} in the cluster directory for as long as it runs the server, and the kernel drops it when
 * that JVM dies. So the lock is tried first, and a held lock means "in use", never "orphaned".
 */
final class OrphanedPostmaster {
    private static final Logger log = LoggerFactory.getLogger(OrphanedPostmaster.class);

    private OrphanedPostmaster() {}

    static void stop(Path clusterDir) {
        if (heldByALiveLauncher(clusterDir.resolve("epg-lock"))) {
            throw new IllegalStateException("The PostgreSQL of " + clusterDir.getParent()
                    + " is in use by another slipway process (starting or running). Wait for it, or stop it.");
        }
        pid(clusterDir.resolve("postmaster.pid"))
                .flatMap(ProcessHandle::of)
                .filter(p -> servesCluster(p, clusterDir))
                .ifPresent(p -> {
                    log.warn("Stopping PostgreSQL left running by an earlier launcher (pid {})", p.pid());
                    p.destroy();
                    try {
                        p.onExit().get(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (ExecutionException | TimeoutException e) {
                        throw new IllegalStateException("PostgreSQL (pid " + p.pid() + ") left running on "
                                + clusterDir + " did not stop; stop it and start again.", e);
                    }
                });
    }

    private static boolean heldByALiveLauncher(Path lockFile) {
        if (!Files.exists(lockFile)) return false;
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) return true;
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // this very JVM runs it
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<Long> pid(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean servesCluster(ProcessHandle p, Path clusterDir) {
        String commandLine = p.info().commandLine().orElse("");
        return p.isAlive() && commandLine.contains("postgres") && commandLine.contains(clusterDir.toString());
    }
}
