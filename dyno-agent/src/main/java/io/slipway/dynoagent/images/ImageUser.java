package io.slipway.dynoagent.images;

import io.slipway.shared.images.ImageConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Who an image's process runs as: its config's {@code user} ({@code uid}, {@code uid:gid}, {@code name},
 * {@code name:group}) with names looked up in the image's own {@code /etc/passwd} and {@code /etc/group}, read
 * without following any link (a tenant's {@code /etc/passwd -> /host/file} is taken as no file). Root is
 * refused, by number or by a name that resolves to uid 0 ({@link ImageConfig#ROOT_REFUSED}); so are the uids
 * the agent hands its apps' slug dynos ({@code SLIPWAY_DYNO_UID_RANGE}), which an image must not borrow. Without
 * a group the user's own from {@code /etc/passwd} is taken, else the gid equal to the uid.
 *
 * @param home the user's home from {@code /etc/passwd}, {@code /} when it has none
 */
public record ImageUser(int uid, int gid, String home) {
    private static final long MAX_FILE = 4L << 20;

    /** A user the platform does not run an image as; the message says why (the dyno's log shows it). */
    public static final class RefusedUser extends IOException {
        public RefusedUser(String message) {
            super(message);
        }
    }

    public static ImageUser resolve(Path root, String user, int reservedFrom, int reservedTo) throws IOException {
        if (user == null || user.isBlank()) throw new RefusedUser(ImageConfig.ROOT_REFUSED);
        String who = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
        String group = user.contains(":") ? user.substring(user.indexOf(':') + 1) : null;
        String passwd = read(root, "passwd");
        String[] entry = who.matches("[0-9]+") ? find(passwd, 7, 2, who) : find(passwd, 7, 0, who);
        long uid;
        if (who.matches("[0-9]+")) {
            uid = number(who, user);
        } else if (entry == null) {
            throw new RefusedUser("The image's user " + who + " is not in its /etc/passwd.");
        } else {
            uid = number(entry[2], user);
        }
        if (uid == 0) throw new RefusedUser(ImageConfig.ROOT_REFUSED);
        long gid;
        if (group == null || group.isEmpty()) {
            gid = entry != null && entry[3].matches("[0-9]+") ? number(entry[3], user) : uid;
        } else if (group.matches("[0-9]+")) {
            gid = number(group, user);
        } else {
            String[] g = find(read(root, "group"), 4, 0, group);
            if (g == null || !g[2].matches("[0-9]+")) {
                throw new RefusedUser("The image's group " + group + " is not in its /etc/group.");
            }
            gid = number(g[2], user);
        }
        for (long id : new long[] {uid, gid}) {
            if (id >= reservedFrom && id <= reservedTo) {
                throw new RefusedUser("The image's user " + user + " uses id " + id + ", in the range " + reservedFrom
                        + "-" + reservedTo + " the platform keeps for its own dyno users: use an id below "
                        + reservedFrom + ".");
            }
        }
        String home = entry != null && entry[5].startsWith("/") ? entry[5] : "/";
        return new ImageUser((int) uid, (int) gid, home);
    }

    private static long number(String digits, String user) throws RefusedUser {
        try {
            long n = Long.parseLong(digits);
            if (n > Integer.MAX_VALUE - 1) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new RefusedUser("The image's user " + user + " is not a valid user id.");
        }
    }

    /** The first line of {@code fields} fields (passwd: 7, group: 4) whose field {@code field} is {@code value}. */
    private static String[] find(String file, int fields, int field, String value) {
        if (file == null) return null;
        for (String line : file.split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length == fields && f[field].equals(value)) return f;
        }
        return null;
    }

    /** {@code /etc/<name>} of the root, or null when it is missing, a link or reached through a link. */
    private static String read(Path root, String name) throws IOException {
        if (!RootPaths.plainFile(root, "etc/" + name)) return null;
        Path file = root.resolve("etc").resolve(name);
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes((int) MAX_FILE);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
