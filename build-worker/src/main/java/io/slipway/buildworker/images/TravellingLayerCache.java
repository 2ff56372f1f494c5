package io.slipway.buildworker.images;

import io.slipway.buildworker.cache.BuildCache;
import io.slipway.shared.fs.TreeDelete;
import io.slipway.shared.builds.ClaimedBuild;
import io.slipway.shared.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An app's Dockerfile layer cache that any worker can use, kept in object storage as the app's build cache object
 * (the claim's {@code cache_get_url}/{@code cache_put_url}, where buildpack builds keep theirs).
 *
 * <p>Buildah's {@code --layers} cache is the intermediate images (one per step) of earlier builds in the worker's
 * own storage. Checked with Buildah 1.28: those images, pushed to an OCI layout and pulled into another storage,
 * give {@code Using cache} there (pulled layers get chain-derived ids, so the parent links the cache lookup
 * follows match). So after a build the images of the final image's own chain are saved; a worker that has not
 * built the app since it last saved restores them before {@code bud}.
 *
 * <p>Only images whose history and layer digests are a prefix of the final image's are saved: the storage is
 * shared by every app the worker builds, and an image matching that prefix holds nothing the final image does not.
 * Every problem is a warning: the cache only makes builds faster.
 */
final class TravellingLayerCache {
    /** The layout's folder inside the cache object (a buildpack build that later gets it ignores the folder). */
    static final String FOLDER = "slipway-image-cache";
    private static final long MAX_BYTES = 8L << 30;
    private final Buildah buildah;
    private final BuildCache objects;
    private final Path markers;

    TravellingLayerCache(Buildah buildah, BuildCache objects, Path markers) {
        this.buildah = buildah;
        this.objects = objects;
        this.markers = markers;
    }

    /** Loads the app's saved steps unless this worker's storage still has what it saved last. */
    void restore(ClaimedBuild build, Path scratch, Consumer<String> info) throws IOException {
        if (allHere(savedHere(build.appId()))) return;
        Path dir = scratch.resolve("layer-cache-in");
        try {
            if (!objects.restore(build.cacheGetUrl(), scratch, dir, MAX_BYTES, info)) return;
            Path layout = dir.resolve(FOLDER);
            if (!Files.isDirectory(layout) || Files.isSymbolicLink(layout)) return;
            int loaded = 0;
            for (String ref : refs(layout)) {
                try {
                    buildah.pullLayout(layout, ref);
                    loaded++;
                } catch (IOException e) {
                    info.accept("Could not restore a cached step (" + e.getMessage() + ")");
                    break; // the later steps sit on this one
                }
            }
            if (loaded > 0) info.accept("Restored the layer cache (" + loaded + " steps)");
        } finally {
            TreeDelete.deleteOrThrow(dir);
        }
    }

    /**
     * Saves the final images' chains (one per Dockerfile the build built, steps they share once) for the app's
     * next build, on whichever worker claims it (after the build's result).
     */
    void save(ClaimedBuild build, List<String> finalTags, Path scratch, Consumer<String> warn) throws IOException {
        Path dir = scratch.resolve("layer-cache-out");
        try {
            List<String> finalIds = new ArrayList<>();
            List<String> steps = new ArrayList<>();
            for (String tag : finalTags) {
                // inspecting an image describes it as a working container's source: FromImageID is its own id
                String finalId = buildah.output(List.of("inspect", "--type", "image", "--format", "{{.FromImageID}}",
                        tag), Duration.ofMinutes(1)).strip();
                finalIds.add(finalId);
                for (String id : chainOf(inspect(finalId))) {
                    if (!steps.contains(id)) steps.add(id);
                }
            }
            Path layout = dir.resolve(FOLDER);
            Files.createDirectories(dir);
            for (int i = 0; i < steps.size(); i++) {
                buildah.output(List.of("push", "--quiet", "--format", "oci", steps.get(i),
                        "oci:" + layout + ":step-" + String.format("%03d", i)), Duration.ofMinutes(30));
            }
            objects.save(build.cachePutUrl(), scratch, dir, warn);
            Files.createDirectories(markers);
            Files.writeString(markers.resolve(build.appId()), String.join("\n", finalIds));
        } catch (IOException | RuntimeException e) {
            warn.accept("Could not save the layer cache (" + e.getMessage() + ")");
        } finally {
            TreeDelete.deleteOrThrow(dir);
        }
    }

    /** True when this worker's storage still has every final image it saved last for the app. */
    private boolean allHere(List<String> saved) throws IOException {
        if (saved.isEmpty()) return false;
        for (String id : saved) {
            if (!buildah.succeeds(List.of("inspect", "--type", "image", id))) return false;
        }
        return true;
    }

    private List<String> savedHere(String appId) throws IOException {
        if (!appId.matches("[A-Za-z0-9-]{1,64}")) return List.of();
        Path marker = markers.resolve(appId);
        if (!Files.isRegularFile(marker)) return List.of();
        return Files.readString(marker, StandardCharsets.UTF_8).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** The images (oldest step first, the final one last) whose history and layers begin the final image's. */
    private List<String> chainOf(Step last) throws IOException {
        List<Step> steps = new ArrayList<>();
        String all = buildah.output(List.of("images", "--all", "--json"), Duration.ofMinutes(1));
        for (Object o : Json.array(Json.parse(all.strip()))) {
            Map<String, Object> image = Json.object(o);
            Object id = image.get("id");
            if (id == null || id.equals(last.id()) || !unnamed(image)) continue; // named: bases, apps' images
            Step s = inspect(id.toString());
            if (s.history().size() < last.history().size() && s.diffIds().size() <= last.diffIds().size()
                    && last.history().subList(0, s.history().size()).equals(s.history())
                    && last.diffIds().subList(0, s.diffIds().size()).equals(s.diffIds())) {
                steps.add(s);
            }
        }
        steps.sort(Comparator.comparingInt(s -> s.history().size()));
        List<String> ids = new ArrayList<>();
        for (Step s : steps) ids.add(s.id());
        ids.add(last.id());
        return ids;
    }

    private Step inspect(String id) throws IOException {
        // Buildah 1.28's --format templates have no json function: the whole description, then its OCI config
        String json = buildah.output(List.of("inspect", "--type", "image", id), Duration.ofMinutes(1));
        Map<String, Object> config = Json.object(Json.parseObject(json.strip()).get("OCIv1"));
        List<Object> diffIds = Json.array(Json.object(config.get("rootfs")).get("diff_ids"));
        return new Step(id, Json.array(config.get("history")), diffIds);
    }

    /** Intermediate images have no name, or the one a restore gave them when pulling them from the layout. */
    private static boolean unnamed(Map<String, Object> image) {
        for (Object name : Json.array(image.get("names"))) {
            if (!String.valueOf(name).startsWith("localhost/" + FOLDER + ":step-")) return false;
        }
        return true;
    }

    private static List<String> refs(Path layout) throws IOException {
        List<String> refs = new ArrayList<>();
        Path index = layout.resolve("index.json");
        if (!Files.isRegularFile(index) || Files.isSymbolicLink(index)) return refs;
        for (Object m : Json.array(Json.parseObject(Files.readString(index)).get("manifests"))) {
            Object ref = Json.object(Json.object(m).get("annotations")).get("org.opencontainers.image.ref.name");
            if (ref instanceof String r && r.matches("step-[0-9]{3}")) refs.add(r);
        }
        refs.sort(null);
        return refs;
    }

    private record Step(String id, List<Object> history, List<Object> diffIds) {}
}
