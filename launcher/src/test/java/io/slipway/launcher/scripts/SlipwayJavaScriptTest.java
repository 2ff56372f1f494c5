package io.slipway.launcher.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/bin/slipway-java.sh: which java the platform's JVMs run on. */
class SlipwayJavaScriptTest {
    @TempDir
    Path jvms;

    @Test
    void theNewestJdk25OrLaterUnderTheJvmDirectoryIsChosen() throws Exception {
        fakeJdk("java-17-openjdk-amd64", "17.0.15");
        fakeJdk("temurin-25-jdk-amd64", "25.0.3");
        fakeJdk("temurin-26-jdk-amd64", "26");
        assertEquals(jvms.resolve("temurin-26-jdk-amd64/bin/java").toString(), chosen(Map.of()));
    }

    @Test
    void withoutAJdk25TheJavaOnPathIsChosen() throws Exception {
        fakeJdk("java-17-openjdk-amd64", "17.0.15");
        fakeJdk("broken", null);
        assertEquals("java", chosen(Map.of()));
    }

    @Test
    void slipwayJavaOverridesTheChoice() throws Exception {
        fakeJdk("temurin-25-jdk-amd64", "25.0.3");
        assertEquals("java", chosen(Map.of("SLIPWAY_JAVA", "java")));
        assertEquals("/opt/jdk/bin/java", chosen(Map.of("SLIPWAY_JAVA", "/opt/jdk/bin/java")));
    }

    @Test
    void theFeatureReleaseIsReadFromTheJdksReleaseFile() throws Exception {
        fakeJdk("temurin-25-jdk-amd64", "25.0.3");
        Path java = jvms.resolve("temurin-25-jdk-amd64/bin/java");
        assertEquals("25", LaunchScripts.bash("slipway_java_major '" + java + "'", Map.of(), jvms).stdout());
        assertEquals("0", LaunchScripts.bash("slipway_java_major /no/such/java", Map.of(), jvms).stdout());
    }

    private String chosen(Map<String, String> env) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("SLIPWAY_JVM_DIR", jvms.toString());
        LaunchScripts.Result r = LaunchScripts.bash("slipway_java; echo \"$JAVA\"", all, jvms);
        assertEquals(0, r.exit());
        return r.stdout();
    }

    /** A JDK's layout as far as the script looks: an executable bin/java and a release file (none when null). */
    private void fakeJdk(String name, String version) throws Exception {
        Path bin = Files.createDirectories(jvms.resolve(name).resolve("bin"));
        Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (version != null) {
            Files.writeString(jvms.resolve(name).resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        }
    }
}
