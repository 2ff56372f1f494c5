package io.slipway.buildworker.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.shared.json.Json;
import io.slipway.shared.oci.BindSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OCI config every build step gets, read back as runc would. */
class OciBundleTest {
    @TempDir Path tmp;

    @Test
    void aPreparedStackDirectoryIsMountedReadOnlyAndItsLinksMirrored() throws Exception {
        Path stack = tmp.resolve("stacks/heroku-24");
        Files.createDirectories(stack.resolve("usr/bin"));
        Files.createDirectories(stack.resolve("etc"));
        Files.createSymbolicLink(stack.resolve("bin"), Path.of("usr/bin"));
        Path build = Files.createDirectories(tmp.resolve("build"));
        ContainerSpec spec = new ContainerSpec("c1", List.of("/bin/bash", "-c", "true"), Map.of("HOME", "/tmp"),
                "/tmp/build", stack, List.of(new ContainerSpec.Bind(build, "/tmp/build", false)), 512L << 20, 100,
                1000, 1000);
        Path bundle = tmp.resolve("bundle");
        OciBundle.write(spec, bundle);

        Map<String, Object> config = Json.parseObject(Files.readString(bundle.resolve("config.json")));
        assertEquals(Map.of("path", bundle.resolve("rootfs").toAbsolutePath().toString(), "readonly", true),
                config.get("root"));
        assertEquals(Path.of("usr/bin"), Files.readSymbolicLink(bundle.resolve("rootfs/bin")), "link mirrored");
        Map<?, ?> process = (Map<?, ?>) config.get("process");
        assertEquals(Map.of("uid", 1000L, "gid", 1000L), process.get("user"));
        assertEquals(true, process.get("noNewPrivileges"));
        assertEquals(List.of(), ((Map<?, ?>) process.get("capabilities")).get("bounding"));

        List<?> mounts = (List<?>) config.get("mounts");
        assertTrue(mounts.contains(mount("/usr", "bind", stack.resolve("usr").toString(),
                List.of("rbind", "ro", "nosuid", "nodev"))), mounts.toString());
        assertTrue(mounts.contains(mount("/etc", "bind", stack.resolve("etc").toString(),
                List.of("rbind", "ro", "nosuid", "nodev"))));
        assertTrue(mounts.contains(mount("/tmp/build", "bind", build.toString(), List.of("rbind", "rw", "nosuid", "nodev"))));
        assertFalse(mounts.toString().contains("destination=/lib,"), "a directory the stack lacks is not mounted");
        int tmpfs = indexOf(mounts, "/tmp");
        assertTrue(tmpfs >= 0 && tmpfs < indexOf(mounts, "/tmp/build"), "the tmpfs comes before what is mounted in it");
        assertTrue(((Map<?, ?>) mounts.get(tmpfs)).get("options").toString().contains("uid=1000, gid=1000"));

        Map<?, ?> linux = (Map<?, ?>) config.get("linux");
        Map<?, ?> resources = (Map<?, ?>) linux.get("resources");
        assertEquals(Map.of("limit", 512L << 20), resources.get("memory"));
        assertEquals(Map.of("limit", 100L), resources.get("pids"));
        assertFalse(linux.get("namespaces").toString().contains("network"), "builds use the host's network");
    }

    @Test
    void aBindSourceThatIsALinkOrResolvesThroughOneIsNeverMounted() throws Exception {
        // what a build or an archive could plant: its directory swapped for a link to /, or a chain of links
        Path own = Files.createDirectories(tmp.resolve("builds/b1"));
        Path build = Files.createSymbolicLink(own.resolve("build"), Path.of("/"));
        Files.createSymbolicLink(own.resolve("a"), Path.of("."));
        Files.createSymbolicLink(own.resolve("b"), Path.of("a/../../../../../../../../../.."));
        Path chained = own.resolve("b/etc");
        for (ContainerSpec.Bind bind : List.of(new ContainerSpec.Bind(build, "/tmp/build", false, own),
                new ContainerSpec.Bind(chained, "/tmp/buildpacks/0", true, own),
                new ContainerSpec.Bind(build, "/tmp/build", false))) {
            ContainerSpec spec = new ContainerSpec("c2", List.of("true"), Map.of(), "/tmp/build", tmp,
                    List.of(bind), 512L << 20, 100, 1000, 1000);
            Path bundle = tmp.resolve("bundle-" + System.nanoTime());
            assertThrows(BindSources.UnsafeBindSourceException.class, () -> OciBundle.write(spec, bundle));
            assertFalse(Files.exists(bundle.resolve("config.json")), "runc never gets a config");
        }
    }

    @Test
    void stacksMapToTheirOwnDirectoryOrTheDefaultRoot() throws Exception {
        Files.createDirectories(tmp.resolve("heroku-24"));
        Stacks stacks = new Stacks(tmp, Path.of("/"));
        assertEquals(Optional.of(tmp.resolve("heroku-24")), stacks.rootFor("heroku-24"));
        assertEquals(Optional.of(Path.of("/")), stacks.rootFor("heroku-22"));
        assertEquals(Optional.empty(), stacks.rootFor("../etc"));
        assertEquals(Optional.of(Path.of("/")), new Stacks(null, Path.of("/")).rootFor("heroku-24"));
    }

    private static Map<String, Object> mount(String destination, String type, String source, List<String> options) {
        return Map.of("destination", destination, "type", type, "source", source, "options", options);
    }

    private static int indexOf(List<?> mounts, String destination) {
        for (int i = 0; i < mounts.size(); i++) {
            if (destination.equals(((Map<?, ?>) mounts.get(i)).get("destination"))) return i;
        }
        return -1;
    }
}
