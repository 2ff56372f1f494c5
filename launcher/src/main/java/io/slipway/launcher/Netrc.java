package io.slipway.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the password of one {@code machine} from a {@code .netrc}, where {@code heroku login} keeps the API key.
 * Hand-written (a dozen lines of whitespace-separated tokens; no maintained Java library for it is on the class
 * path, see docs/development.md); macros and {@code default} entries are ignored.
 */
final class Netrc {
    private Netrc() {}

    static Optional<String> password(Path file, String machine) {
        if (machine == null || !Files.isRegularFile(file)) return Optional.empty();
        String[] t;
        try {
            t = Files.readString(file).trim().split("\\s+");
        } catch (IOException e) {
            return Optional.empty();
        }
        boolean inMachine = false;
        for (int i = 0; i + 1 < t.length; i++) {
            if (t[i].equals("machine")) inMachine = t[++i].equalsIgnoreCase(machine);
            else if (t[i].equals("default")) inMachine = false;
            else if (inMachine && t[i].equals("password")) return Optional.of(t[i + 1]);
        }
        return Optional.empty();
    }
}
