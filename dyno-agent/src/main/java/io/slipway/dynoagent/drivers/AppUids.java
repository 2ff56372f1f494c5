package io.slipway.dynoagent.drivers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Each app's own dyno user: the first uid of the agent's range no other app holds, remembered in a file of the
 * agent's ({@code <data dir>/app-uids}, {@code <app id> <uid>} per line) so an app keeps its uid across restarts
 * of the agent. Two apps never share a uid, so one app's processes cannot read another's
 * {@code /proc/<pid>/environ} or signal them, whatever else goes wrong; the dynos of one app share their uid.
 */
final class AppUids {
    private final Path file;
    private final int from;
    private final int to;
    private Map<String, Integer> byApp;

    AppUids(Path file, int from, int to) {
        this.file = file;
        this.from = from;
        this.to = to;
    }

    synchronized int uidFor(String appId) throws IOException {
        if (byApp == null) byApp = load();
        Integer known = byApp.get(appId);
        if (known != null) return known;
        Set<Integer> taken = new HashSet<>(byApp.values());
        for (int uid = from; uid <= to; uid++) {
            if (taken.contains(uid)) continue;
            byApp.put(appId, uid);
            save();
            return uid;
        }
        throw new IOException("no free dyno uid left in " + from + "-" + to + " (SLIPWAY_DYNO_UID_RANGE)");
    }

    private Map<String, Integer> load() throws IOException {
        Map<String, Integer> map = new HashMap<>();
        if (!Files.isRegularFile(file)) return map;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length != 2) continue;
            try {
                map.put(parts[0], Integer.parseInt(parts[1]));
            } catch (NumberFormatException e) {
                // a damaged line: that app gets a fresh uid
            }
        }
        return map;
    }

    private void save() throws IOException {
        StringBuilder text = new StringBuilder();
        byApp.forEach((app, uid) -> text.append(app).append(' ').append(uid).append('\n'));
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
