package io.slipway.api.images.web;

import io.slipway.api.images.BlobRequest;
import io.slipway.api.web.ApiErrors;
import io.slipway.shared.images.ImageConfig;
import io.slipway.shared.images.ImageLayer;
import io.slipway.shared.images.ImageRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The internal API's image JSON (docs/internal-api.md, "Images"), read strictly: a field of the wrong type is
 * {@code 422 invalid_params} naming it, before any rule or storage lookup runs. What the values must be (digest
 * form, media types, limits) is checked by the use cases.
 */
public final class ImageWire {
    private ImageWire() {}

    /**
     * {@code manifest_digest}, {@code config_digest}, {@code layers}, {@code config} of {@code node}; {@code field}
     * names it in messages ({@code image}, or "" for a body that is the image).
     */
    public static ImageRef image(String name, JsonNode node) {
        if (node == null || !node.isObject()) {
            throw ApiErrors.invalidParams(name.isEmpty() ? "Expected a JSON object." : "Missing required param `" + name + "` (an object).");
        }
        String field = name.isEmpty() ? "" : name + ".";
        JsonNode layers = node.get("layers");
        if (layers == null || !layers.isArray()) throw invalid(field + "layers", "an array of layers");
        List<ImageLayer> out = new ArrayList<>();
        for (JsonNode l : layers) {
            if (!l.isObject()) throw invalid(field + "layers[]", "an object");
            out.add(new ImageLayer(requireText(field + "layers[].digest", l.get("digest")),
                    size(field + "layers[].size", l.get("size")),
                    requireText(field + "layers[].media_type", l.get("media_type")), null));
        }
        return new ImageRef(requireText(field + "manifest_digest", node.get("manifest_digest")),
                requireText(field + "config_digest", node.get("config_digest")), out, config(field + "config", node.get("config")));
    }

    /** {@code {"blobs": [{"digest", "size"}]}}. */
    public static List<BlobRequest> blobs(JsonNode node) {
        if (node == null || !node.isArray()) throw invalid("blobs", "an array of {digest, size}");
        List<BlobRequest> out = new ArrayList<>();
        for (JsonNode b : node) {
            if (!b.isObject()) throw invalid("blobs[]", "an object");
            out.add(new BlobRequest(requireText("blobs[].digest", b.get("digest")), size("blobs[].size", b.get("size"))));
        }
        return out;
    }

    /** {@code {"blobs": [{"digest", "put_url"}]}}; {@code put_url} null when the blob is already stored. */
    public static Map<String, Object> answers(List<BlobRequest.Answer> answers) {
        List<Object> out = new ArrayList<>();
        for (BlobRequest.Answer a : answers) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("digest", a.digest());
            m.put("put_url", a.putUrl());
            out.add(m);
        }
        return Map.of("blobs", out);
    }

    /** {@code {"web": "cmd"}} or absent/null (none declared). */
    public static Map<String, String> processTypes(String field, JsonNode node) {
        Map<String, String> types = new LinkedHashMap<>();
        if (node == null || node.isNull()) return types;
        if (!node.isObject()) throw invalid(field, "an object of process type to command");
        for (var e : node.properties()) {
            if (!e.getValue().isString()) throw invalid(field, "the command of " + e.getKey() + " as a string");
            types.put(e.getKey(), e.getValue().asString());
        }
        return types;
    }

    /** {@code {"worker": <image>}} (the image each type runs in when not the primary) or absent/null. */
    public static Map<String, ImageRef> processImages(String field, JsonNode node) {
        Map<String, ImageRef> images = new LinkedHashMap<>();
        if (node == null || node.isNull()) return images;
        if (!node.isObject()) throw invalid(field, "an object of process type to image");
        for (var e : node.properties()) images.put(e.getKey(), image(field + "." + e.getKey(), e.getValue()));
        return images;
    }

    public static String optText(String field, JsonNode node) {
        if (node == null || node.isNull()) return null;
        if (!node.isString()) throw invalid(field, "a string");
        return node.asString();
    }

    private static ImageConfig config(String field, JsonNode node) {
        if (node == null || !node.isObject()) throw invalid(field, "an object {user, env, working_dir, entrypoint, cmd}");
        List<String> env = strings(field + ".env", node.get("env"));
        return new ImageConfig(optText(field + ".user", node.get("user")), env,
                optText(field + ".working_dir", node.get("working_dir")),
                strings(field + ".entrypoint", node.get("entrypoint")), strings(field + ".cmd", node.get("cmd")));
    }

    private static List<String> strings(String field, JsonNode node) {
        if (node == null || node.isNull()) return null;
        if (!node.isArray()) throw invalid(field, "an array of strings");
        List<String> out = new ArrayList<>();
        for (JsonNode s : node) {
            if (!s.isString()) throw invalid(field, "an array of strings");
            out.add(s.asString());
        }
        return out;
    }

    private static String requireText(String field, JsonNode node) {
        String s = optText(field, node);
        if (s == null) throw invalid(field, "a string");
        return s;
    }

    private static long size(String field, JsonNode node) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0) {
            throw invalid(field, "a size in bytes (an integer >= 0)");
        }
        return node.asLong();
    }

    private static RuntimeException invalid(String field, String expected) {
        return ApiErrors.invalidParams("Invalid `" + field + "`: expected " + expected + ".");
    }
}
