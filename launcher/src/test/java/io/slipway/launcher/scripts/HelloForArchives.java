package io.slipway.launcher.scripts;

/** The program {@link ClassArchiveScriptTest} starts from a jar of its own: it loads a few classes and exits. */
public final class HelloForArchives {
    private HelloForArchives() {
    }

    public static void main(String[] args) {
        System.out.println(String.join(",", java.util.List.of("hello", "archives")));
    }
}
