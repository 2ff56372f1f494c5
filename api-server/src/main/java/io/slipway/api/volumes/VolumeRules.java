package io.slipway.api.volumes;

import io.slipway.api.errors.InvalidInput;
import java.util.regex.Pattern;

/**
 * What a volume may be. The mount path must lie below {@code /app} (the dyno's own writable slug disk): runc
 * creates the mount point there, inside the container's root, never on the read-only stack shared with the host,
 * and a path cannot hide {@code /app} itself. Checked on the normalised text, and again by runc, which resolves
 * the destination inside the container's root (a link the app planted in its slug cannot lead out of it).
 */
final class VolumeRules {
    static final int MAX_PER_APP = 5;
    static final int MIN_SIZE_MB = 16;
    static final int MAX_SIZE_MB = 10_240;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,29}");
    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_-]{1,30}");
    private static final Pattern PATH = Pattern.compile("/app(/[A-Za-z0-9._-]+){1,8}");

    private VolumeRules() {}

    static String name(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInput("A volume's name is 1 to 30 lower-case letters, digits or '-', starting "
                    + "with a letter.");
        }
        return name;
    }

    static String processType(String type) {
        if (type == null || !TYPE.matcher(type).matches() || type.equals("run") || type.equals("release")) {
            throw new InvalidInput("process_type must name a process type of the Procfile (e.g. web or "
                    + "worker; not run or release).");
        }
        return type;
    }

    static String mountPath(String path) {
        if (path == null || path.length() > 200 || !PATH.matcher(path).matches() || path.contains("/./")
                || path.endsWith("/.") || path.contains("/../") || path.endsWith("/..")) {
            throw new InvalidInput("mount_path must be a directory below /app, such as /app/storage "
                    + "(letters, digits, '.', '_' and '-'; no '..').");
        }
        return path;
    }

    static int sizeMb(Integer size) {
        if (size == null || size < MIN_SIZE_MB || size > MAX_SIZE_MB) {
            throw new InvalidInput("size_mb must be between " + MIN_SIZE_MB + " and " + MAX_SIZE_MB + ".");
        }
        return size;
    }
}
