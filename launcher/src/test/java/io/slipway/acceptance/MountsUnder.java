package io.slipway.acceptance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Unmounts what is still mounted below a test's data directory once its platform stopped: the dyno-agent leaves
 * image dynos' roots (loop-mounted, auto-detaching) mounted when it stops and clears them only at its next start
 * (ImageRoots.clearAll); a test's data dir is thrown away, so its loop devices would leak.
 */
final class MountsUnder {
    private MountsUnder() {}

    static void unmount(Path dir) {
        if (dir == null) return;
        String prefix = dir.toAbsolutePath().normalize() + "/";
        List<String> targets = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 1 && f[1].startsWith(prefix)) targets.add(f[1]);
            }
            Collections.reverse(targets); // innermost (latest) first
            for (String t : targets) {
                Process p = new ProcessBuilder("umount", t).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            System.err.println("could not unmount what is left below " + dir + ": " + e);
        }
    }
}
