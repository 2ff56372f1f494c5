package io.slipway.launcher.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The env files of the cluster's hosts are the deploy/ examples filled in, as an operator fills them in. */
class EnvTemplateTest {
    @TempDir
    Path dir;

    @Test
    void replacesSettingsInPlaceUncommentsThemAndAppendsTheRest() throws Exception {
        Path example = dir.resolve("x.env.example");
        Files.writeString(example, """
                # the API
                SLIPWAY_INTERNAL_API_URL=http://10.0.0.5:5003
                # SLIPWAY_CA_FILE=/etc/slipway/tls/ca.pem
                SLIPWAY_KEEP=as-is
                """);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("SLIPWAY_INTERNAL_API_URL", "http://10.160.0.1:5003");
        settings.put("SLIPWAY_CA_FILE", "/tmp/c/tls/ca.pem");
        settings.put("SLIPWAY_JAVA_OPTS", "-Xmx160m -XX:+UseSerialGC");
        assertEquals("""
                # the API
                SLIPWAY_INTERNAL_API_URL=http://10.160.0.1:5003
                SLIPWAY_CA_FILE=/tmp/c/tls/ca.pem
                SLIPWAY_KEEP=as-is
                # --- set by ./slipway cluster ---
                SLIPWAY_JAVA_OPTS="-Xmx160m -XX:+UseSerialGC"
                """, EnvTemplate.render(example, settings));
    }

    @Test
    void refusesValuesThatWouldReadDifferentlyInAShellAndInSystemd() {
        assertThrows(IllegalArgumentException.class, () -> EnvTemplate.quote("a $HOME b"));
        assertThrows(IllegalArgumentException.class, () -> EnvTemplate.quote("a \"q\" b"));
    }

    @Test
    void everyRealExampleRendersWithEverySettingPresentOnce() throws Exception {
        Path deploy = Path.of("").toAbsolutePath().getParent().resolve("deploy");
        for (String component : new String[] {"api-server", "git-gateway", "build-worker", "dyno-agent", "router"}) {
            String text = EnvTemplate.render(deploy.resolve(component + ".env.example"),
                    Map.of("SLIPWAY_INTERNAL_API_URL", "http://10.160.0.1:5003"));
            long lines = text.lines().filter(l -> l.startsWith("SLIPWAY_INTERNAL_API_URL=")).count();
            assertEquals(1, lines, component);
            assertTrue(text.contains("SLIPWAY_INTERNAL_API_URL=http://10.160.0.1:5003\n"), component);
        }
    }
}
