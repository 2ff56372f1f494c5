package io.slipway.launcher.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/bin/slipway-cds.sh with real JDKs: a start records (JDK 25: from the second on), the next builds the
 * archive in the background, the one after maps it (a JVM told to insist on it, -XX:AOTMode=on or -Xshare:on,
 * starts), and a record cut short is refused once without ever stopping a start.
 */
class ClassArchiveScriptTest {
    private static final String MAIN = HelloForArchives.class.getName();

    @TempDir
    Path work;

    @Test
    void onJdk25TheFourthStartMapsAnAotCacheBuiltFromTheSecondStartsRecord() throws Exception {
        String java = jdk25();
        Map<String, String> env = env(java);
        assertEquals("", start(env, "").lines().findFirst().orElse(""), "the first start runs as it is");
        assertTrue(start(env, "").contains("-XX:AOTMode=record"), "the second start records");
        assertEquals("", options(env), "the third start builds the cache in the background and runs without one");
        Path cache = awaitArchive(".aot");
        String third = options(env);
        assertTrue(third.contains("-XX:AOTCache=" + cache), third);
        start(env, "-XX:AOTMode=on");
    }

    @Test
    void onJdk17TheThirdStartMapsACdsArchiveDumpedFromTheFirstStartsClassList() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        assumeTrue(Runtime.version().feature() < 25, "the tests' own JDK is the JDK 17 path");
        Map<String, String> env = env(java);
        assertTrue(start(env, "").contains("-XX:DumpLoadedClassList="), "the first start writes its class list");
        assertEquals("", options(env));
        Path archive = awaitArchive(".jsa");
        assertTrue(options(env).contains("-XX:SharedArchiveFile=" + archive));
        start(env, "-Xshare:on");
    }

    @Test
    void aRecordCutShortIsRefusedOnceAndNeverStopsAStart() throws Exception {
        Map<String, String> env = env(jdk25());
        start(env, "");
        start(env, "");
        try (Stream<Path> files = Files.list(work.resolve("cds"))) {
            Path record = files.filter(p -> p.getFileName().toString().contains(".aotconf.part.")).findFirst().orElseThrow();
            Files.write(record, java.util.Arrays.copyOf(Files.readAllBytes(record), 1000));
        }
        options(env);
        awaitFile(".aot.failed");
        assertEquals("", options(env), "no cache and no new record after a failed build");
        start(env, "");
    }

    /** Runs slipway_cds and then the program with its options, as slipway-component does; returns the options. */
    private String start(Map<String, String> env, String extra) throws Exception {
        LaunchScripts.Result r = LaunchScripts.bash("slipway_cds hello \"$CP\"; echo \"${SLIPWAY_CDS_OPTS[*]}\" >&2; "
                + "exec \"$JAVA\" \"${SLIPWAY_CDS_OPTS[@]}\" " + extra + " -cp \"$CP\" " + MAIN, env, work);
        assertEquals(0, r.exit(), "the program started: " + Files.readString(work.resolve("bash.err")));
        // (a recording JDK 25 adds "AOTConfiguration recorded: ..." at exit, which no -Xlog option silences)
        assertTrue(r.stdout().lines().anyMatch("hello,archives"::equals), r.stdout());
        return Files.readString(work.resolve("bash.err"));
    }

    private String options(Map<String, String> env) throws Exception {
        return LaunchScripts.bash("slipway_cds hello \"$CP\"; echo \"${SLIPWAY_CDS_OPTS[*]}\"", env, work).stdout();
    }

    private Map<String, String> env(String java) throws IOException {
        return Map.of("JAVA", java, "SLIPWAY_CDS_DIR", work.resolve("cds").toString(), "CP", jar().toString());
    }

    private static String jdk25() throws Exception {
        String java = LaunchScripts.bash("slipway_java; echo \"$JAVA\"", Map.of(), Path.of("/tmp")).stdout();
        assumeTrue(!java.equals("java"), "no JDK 25+ under /usr/lib/jvm on this machine");
        return java;
    }

    /** The program alone in a jar: a class path of jars only can be archived. */
    private Path jar() throws IOException {
        Path jar = work.resolve("hello.jar");
        if (Files.exists(jar)) return jar;
        String entry = MAIN.replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new JarEntry(entry));
            try (var in = HelloForArchives.class.getClassLoader().getResourceAsStream(entry)) {
                in.transferTo(j);
            }
        }
        return jar;
    }

    private Path awaitArchive(String suffix) throws Exception {
        Path archive = awaitFile(suffix);
        // the build's lock goes once the check run has accepted it and it is renamed into place
        Instant end = Instant.now().plus(Duration.ofMinutes(1));
        while (hasFileEndingIn(".lock")) {
            if (Instant.now().isAfter(end)) throw new AssertionError("the build's lock stayed after its archive");
            Thread.sleep(100);
        }
        return archive;
    }

    private Path awaitFile(String suffix) throws Exception {
        Instant end = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(end)) {
            var found = fileEndingIn(suffix);
            if (found.isPresent()) return found.get();
            Thread.sleep(100);
        }
        throw new AssertionError("no *" + suffix + " in " + work.resolve("cds") + " after 3 minutes");
    }

    private boolean hasFileEndingIn(String suffix) throws IOException {
        return fileEndingIn(suffix).isPresent();
    }

    private java.util.Optional<Path> fileEndingIn(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(work.resolve("cds"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).findFirst();
        }
    }
}
