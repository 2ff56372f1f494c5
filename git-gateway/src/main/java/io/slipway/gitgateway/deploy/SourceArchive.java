package io.slipway.gitgateway.deploy;

import io.slipway.shared.archive.TarGzWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The pushed commit as a source tarball, like {@code git archive --format=tar.gz <commit>}: the tree's files at
 * the archive's root (no {@code .git}), executable bits and symbolic links kept, each directory before its
 * contents, all stamped with the commit time. Submodules are not included (their commits are not here).
 */
public final class SourceArchive {
    private SourceArchive() {}

    public static void write(Repository repository, ObjectId commitId, Path target) throws IOException {
        try (OutputStream file = Files.newOutputStream(target);
             TarGzWriter tar = new TarGzWriter(file);
             RevWalk walk = new RevWalk(repository);
             ObjectReader reader = repository.newObjectReader();
             TreeWalk tree = new TreeWalk(repository, reader)) {
            RevCommit commit = walk.parseCommit(commitId);
            long mtime = commit.getCommitTime();
            tree.addTree(commit.getTree());
            tree.setRecursive(false);
            while (tree.next()) {
                FileMode mode = tree.getFileMode(0);
                String path = tree.getPathString();
                if (tree.isSubtree()) {
                    tar.directory(path, 0755, TarGzWriter.Owner.ROOT, mtime);
                    tree.enterSubtree();
                } else if (mode == FileMode.SYMLINK) {
                    byte[] link = reader.open(tree.getObjectId(0)).getBytes();
                    tar.symlink(path, new String(link, StandardCharsets.UTF_8), TarGzWriter.Owner.ROOT, mtime);
                } else if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
                    ObjectLoader blob = reader.open(tree.getObjectId(0));
                    try (InputStream in = blob.openStream()) {
                        tar.file(path, mode == FileMode.EXECUTABLE_FILE ? 0755 : 0644, TarGzWriter.Owner.ROOT, mtime,
                                blob.getSize(), in);
                    }
                }
                // FileMode.GITLINK (a submodule): skipped
            }
        }
    }
}
