package io.slipway.api.images;

import io.slipway.api.persistence.JsonStringMap;
import io.slipway.shared.images.ImageConfig;
import io.slipway.shared.images.ImageLayer;
import io.slipway.shared.images.ImageRef;
import io.slipway.shared.json.Json;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * An OCI image the platform can run or build on: an app's (a build made it; {@code appId} set) or a platform
 * base image ({@code appId} null, {@code name:tag}). The blobs are in object storage; a row exists only once
 * every blob was verified there. Layers and config are kept as the canonical JSON of {@link ImageRef}.
 */
@Entity
@Table(name = "images")
public final class Image {
    @Id
    private UUID id;
    private UUID appId;
    private String name;
    private String tag;
    private String manifestDigest;
    private String configDigest;
    private String layers;
    private String config;
    private String baseDigests;
    private long layersSize;
    @Convert(converter = JsonStringMap.class)
    @Column(name = "process_types")
    private Map<String, String> processTypes = new LinkedHashMap<>();
    /** Process type to the id of another image of this app it runs in (heroku.yml: several Dockerfiles). */
    @Convert(converter = JsonStringMap.class)
    @Column(name = "process_images")
    private Map<String, String> processImages = new LinkedHashMap<>();
    private String commit;
    private String commitDescription;
    private Instant createdAt;

    protected Image() {}

    /** An app's image; {@code baseDigests}: the blobs that live in the base namespace, not the app's. */
    public static Image ofApp(UUID appId, ImageRef ref, Set<String> baseDigests, Map<String, String> processTypes,
                              String commit, String commitDescription) {
        Image image = new Image(ref, baseDigests);
        image.appId = appId;
        image.processTypes = new LinkedHashMap<>(processTypes);
        image.commit = commit;
        image.commitDescription = commitDescription;
        return image;
    }

    /** A platform base image (all its blobs are in the base namespace). */
    public static Image base(String name, String tag, ImageRef ref) {
        Image image = new Image(ref, Set.of());
        image.name = name;
        image.tag = tag;
        return image;
    }

    private Image(ImageRef ref, Set<String> baseDigests) {
        this.id = UUID.randomUUID();
        this.createdAt = Instant.now();
        describe(ref, baseDigests);
    }

    /** A base image imported again under the same name:tag: same row, new content. */
    public void replace(ImageRef ref) {
        describe(ref, Set.of());
        this.createdAt = Instant.now();
    }

    private void describe(ImageRef ref, Set<String> baseDigests) {
        this.manifestDigest = ref.manifestDigest();
        this.configDigest = ref.configDigest();
        List<Object> ls = new ArrayList<>();
        for (ImageLayer l : ref.layers()) ls.add(new ImageLayer(l.digest(), l.size(), l.mediaType(), null).toJson());
        this.layers = Json.write(ls);
        this.config = Json.write(ref.config().toJson());
        this.baseDigests = Json.write(new ArrayList<>(baseDigests));
        this.layersSize = ref.layersSize();
    }

    public UUID id() { return id; }
    public UUID appId() { return appId; }
    public String name() { return name; }
    public String tag() { return tag; }
    public String manifestDigest() { return manifestDigest; }
    public String configDigest() { return configDigest; }
    public long layersSize() { return layersSize; }
    public String commit() { return commit; }
    public String commitDescription() { return commitDescription; }
    public Instant createdAt() { return createdAt; }
    public boolean isBase() { return appId == null; }

    /** The process types the build declared (heroku.yml {@code run}, or a Procfile); empty: the image's own command. */
    public Map<String, String> processTypes() { return new LinkedHashMap<>(processTypes); }

    /** Process type to the id of the app's image it runs in, for types that do not run in this one. */
    public Map<String, UUID> processImages() {
        Map<String, UUID> out = new LinkedHashMap<>();
        processImages.forEach((type, id) -> out.put(type, UUID.fromString(id)));
        return out;
    }

    /** Before the image is saved: the types that run in other images of the same app. */
    public void runTypesIn(Map<String, Image> others) {
        Map<String, String> ids = new LinkedHashMap<>();
        others.forEach((type, other) -> {
            if (appId == null || !appId.equals(other.appId)) throw new IllegalArgumentException("another app's image");
            ids.put(type, other.id.toString());
        });
        this.processImages = ids;
    }

    public ImageConfig config() {
        return ImageConfig.parse(Json.parse(config));
    }

    /** The layers bottom first, without URLs. */
    public List<ImageLayer> layers() {
        List<ImageLayer> out = new ArrayList<>();
        for (Object o : Json.array(Json.parse(layers))) out.add(ImageLayer.parse(o));
        return out;
    }

    /** True when the blob of {@code digest} is stored in the base namespace rather than the app's. */
    public boolean inBase(String digest) {
        if (appId == null) return true;
        Set<String> base = new LinkedHashSet<>();
        for (Object o : Json.array(Json.parse(baseDigests))) base.add(String.valueOf(o));
        return base.contains(digest);
    }

    public ImageRef ref() {
        return new ImageRef(manifestDigest, configDigest, layers(), config());
    }

    /** {@code Deploy 1a2b3c4d}, as for slugs ({@code Deploy} without a commit). */
    public String deployDescription() {
        if (commit == null || commit.isBlank()) return "Deploy";
        String c = commit.strip();
        return "Deploy " + (c.length() > 8 ? c.substring(0, 8) : c);
    }
}
