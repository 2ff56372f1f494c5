package io.slipway.shared.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real {@code git} as a user with nothing configured runs it: what the git-gateway's and the launcher's test
 * clients start it with.
 */
public final class IsolatedGit {
    private IsolatedGit() {}

    /**
     * An isolated HOME (no user or system config), no prompts, a fixed author, the platform's CA trusted through
     * {@code GIT_SSL_CAINFO}.
     */
    public static Map<String, String> environment(Path home, Path caPem) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_SSL_CAINFO", caPem.toString());
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_AUTHOR_NAME", "Test User");
        env.put("GIT_AUTHOR_EMAIL", "test@example.com");
        env.put("GIT_COMMITTER_NAME", "Test User");
        env.put("GIT_COMMITTER_EMAIL", "test@example.com");
        env.put("LC_ALL", "C");
        return env;
    }

    /** {@code git args...} with no credential helper, {@code main} as the first branch, no detached-HEAD advice. */
    public static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "credential.helper=", "-c",
                "init.defaultBranch=main", "-c", "advice.detachedHead=false"));
        command.addAll(List.of(args));
        return command;
    }
}
