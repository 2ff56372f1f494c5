package io.slipway.shared.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on the platform's one tree delete: what a tenant may leave in a tree the platform deletes as root (a
 * slug, build output, a pushed repository) must not make the delete reach outside it.
 */
class TreeDeleteTest {
    @TempDir
    Path outside;

    @TempDir
    Path work;

    @Test
    void aLinkToADirectoryOutsideIsRemovedNotFollowed() throws Exception {
        Path keep = Files.writeString(outside.resolve("keep.txt"), "not the tenant's");
        Path tree = Files.createDirectories(work.resolve("dynos/web.1/app"));
        Files.writeString(tree.resolve("server.sh"), "echo hi\n");
        Files.createSymbolicLink(tree.resolve("root"), outside);

        assertEquals(List.of(), TreeDelete.delete(work.resolve("dynos")));

        assertFalse(Files.exists(work.resolve("dynos"), LinkOption.NOFOLLOW_LINKS), "the tree is gone");
        assertEquals("not the tenant's", Files.readString(keep), "what the link pointed at is untouched");
    }

    @Test
    void aLinkToAFileOutsideIsRemovedNotFollowed() throws Exception {
        Path keep = Files.writeString(outside.resolve("keep.txt"), "not the tenant's");
        Path tree = Files.createDirectories(work.resolve("slug"));
        Files.createSymbolicLink(tree.resolve("keep"), keep);
        Files.createSymbolicLink(tree.resolve("dangling"), outside.resolve("nothing"));

        TreeDelete.deleteOrThrow(tree);

        assertFalse(Files.exists(tree, LinkOption.NOFOLLOW_LINKS));
        assertEquals("not the tenant's", Files.readString(keep));
    }

    @Test
    void aLinkAsTheRootItselfIsRemovedAsALink() throws Exception {
        Path keep = Files.writeString(outside.resolve("keep.txt"), "not the tenant's");
        Path link = Files.createSymbolicLink(work.resolve("export"), outside);

        TreeDelete.deleteOrThrow(link);

        assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS), "the link is gone");
        assertTrue(Files.isDirectory(outside), "its target is untouched");
        assertEquals("not the tenant's", Files.readString(keep));
    }

    @Test
    void aLinkInTheRootsPathIsResolvedButTheLastComponentIsNot() throws Exception {
        Path real = Files.createDirectories(work.resolve("real/tree"));
        Files.writeString(real.resolve("f"), "x");
        Path viaLink = Files.createSymbolicLink(work.resolve("via"), work.resolve("real")).resolve("tree");

        TreeDelete.deleteOrThrow(viaLink);

        assertFalse(Files.exists(real), "the tree named through a link in its parent is deleted");
        assertTrue(Files.isDirectory(work.resolve("real")));
    }

    @Test
    void aFileAndAMissingRootAreFine() throws Exception {
        Path file = Files.writeString(work.resolve("archive.tgz"), "x");
        TreeDelete.deleteOrThrow(file);
        assertFalse(Files.exists(file));
        TreeDelete.deleteOrThrow(work.resolve("never-there"));
        TreeDelete.deleteOrLog(work.resolve("never-there"));
    }

    @Test
    void aBindMountStillMountedInsideIsSkippedAndReported() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting needs root");
        Path keep = Files.writeString(outside.resolve("keep.txt"), "a volume's data");
        Path tree = Files.createDirectories(work.resolve("data"));
        Path volume = Files.createDirectories(tree.resolve("volumes/v1"));
        Files.writeString(tree.resolve("log.txt"), "log\n");
        assumeTrue(run("mount", "--bind", outside.toString(), volume.toString()) == 0, "mount --bind not allowed here");
        try {
            List<String> left = TreeDelete.delete(tree);

            assertEquals("a volume's data", Files.readString(keep), "nothing was deleted through the mount");
            assertTrue(Files.exists(volume), "the mount point stays");
            assertFalse(Files.exists(tree.resolve("log.txt")), "the rest is deleted");
            assertEquals(List.of(volume.toRealPath() + " (still mounted)"), left);
            IOException strict = assertThrows(IOException.class, () -> TreeDelete.deleteOrThrow(tree));
            assertTrue(strict.getMessage().contains("still mounted"), strict.getMessage());
        } finally {
            run("umount", volume.toString());
        }
        TreeDelete.deleteOrThrow(tree);
        assertFalse(Files.exists(tree), "gone once unmounted");
        assertTrue(Files.exists(keep));
    }

    @Test
    void aMountPointAsTheRootItselfIsNotDeletedThrough() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting needs root");
        Path keep = Files.writeString(outside.resolve("keep.txt"), "a volume's data");
        Path volume = Files.createDirectories(work.resolve("v1"));
        assumeTrue(run("mount", "--bind", outside.toString(), volume.toString()) == 0, "mount --bind not allowed here");
        try {
            assertEquals(List.of(volume.toRealPath() + " (still mounted)"), TreeDelete.delete(volume));
            assertEquals("a volume's data", Files.readString(keep));
        } finally {
            run("umount", volume.toString());
        }
    }

    @Test
    void aTreeThatVanishesWhileDeletedIsNotAnError() throws Exception {
        Path tree = work.resolve("tree");
        for (int d = 0; d < 200; d++) {
            Path dir = Files.createDirectories(tree.resolve("d" + d).resolve("sub"));
            for (int f = 0; f < 5; f++) Files.writeString(dir.resolve("f" + f), "x");
        }
        CountDownLatch go = new CountDownLatch(1);
        // two cleanups of the same tree race: each finds entries the other already deleted
        List<CompletableFuture<List<String>>> deletes = List.of(
                CompletableFuture.supplyAsync(() -> awaitThenDelete(go, tree)),
                CompletableFuture.supplyAsync(() -> awaitThenDelete(go, tree)));
        go.countDown();

        for (CompletableFuture<List<String>> d : deletes) assertEquals(List.of(), d.join());
        assertFalse(Files.exists(tree));
    }

    @Test
    void aDirectorySwappedForALinkWhileDeletedIsNeverListedThrough() throws Exception {
        Path tree = work.resolve("build");
        for (int round = 0; round < 20; round++) {
            for (int f = 0; f < 50; f++) Files.writeString(outside.resolve("keep" + f), "not the tenant's");
            for (int d = 0; d < 200; d++) {
                Path dir = Files.createDirectories(tree.resolve("d" + d));
                for (int f = 0; f < 2; f++) Files.writeString(dir.resolve("keep" + f), "x");
            }
            AtomicBoolean stop = new AtomicBoolean();
            // the tenant's process, still running: it moves each of its directories away and puts a link to the
            // outside directory in its place, hoping the delete lists one after it looked at it as a directory.
            // A race, so no proof: a path-based walk (Files.walkFileTree) lost keep files within 20 rounds in
            // two of three runs here; the descriptor-relative delete can never lose one
            Thread tenant = new Thread(() -> {
                while (!stop.get()) {
                    for (int d = 0; d < 200 && !stop.get(); d++) {
                        Path dir = tree.resolve("d" + d);
                        try {
                            Files.move(dir, tree.resolve("away" + d));
                            Files.createSymbolicLink(dir, outside);
                        } catch (IOException e) {
                            // already a link, or deleted: go on
                        }
                    }
                }
            });
            tenant.start();
            try {
                TreeDelete.delete(tree);
            } finally {
                stop.set(true);
                tenant.join();
            }
            for (int f = 0; f < 50; f++) {
                assertTrue(Files.exists(outside.resolve("keep" + f)), "round " + round + ": keep" + f + " was deleted");
            }
            TreeDelete.deleteOrThrow(tree);
        }
    }

    private static List<String> awaitThenDelete(CountDownLatch go, Path tree) {
        try {
            go.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return TreeDelete.delete(tree);
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }
}
