package io.slipway.api.appsetups;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The parts of an app.json manifest (Heroku's "app.json Schema") the platform acts on. Parsing never throws for a
 * field of the wrong shape: it is skipped and named in {@link #errors} ({@code manifest_errors}), as Heroku does;
 * only text that is not a JSON object at all is refused.
 */
public record AppJson(Map<String, Env> env, List<AddonSpec> addons, List<String> buildpacks,
                      Map<String, Scale> formation, String postdeploy, String stack, String successUrl,
                      List<String> errors) {

    /** {@code generator} is null or {@code "secret"}. */
    public record Env(String value, boolean required, String generator) {}

    /** {@code as}: the attachment name, or null for the add-on's default. */
    public record AddonSpec(String plan, String as) {}

    /** Either may be null: leave it as it is. */
    public record Scale(Integer quantity, String size) {}

    public static final AppJson EMPTY = new AppJson(Map.of(), List.of(), null, Map.of(), null, null, null, List.of());

    public static AppJson parse(ObjectMapper mapper, String text) throws AppJsonReader.RefusedException {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JacksonException e) {
            throw new AppJsonReader.RefusedException("app.json is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw new AppJsonReader.RefusedException("app.json must be a JSON object.");
        List<String> errors = new ArrayList<>();
        return new AppJson(env(root.get("env"), errors), addons(root.get("addons"), errors),
                buildpacks(root.get("buildpacks"), errors), formation(root.get("formation"), errors),
                text(root.path("scripts"), "postdeploy", errors, "scripts.postdeploy"),
                text(root, "stack", errors, "stack"), text(root, "success_url", errors, "success_url"), errors);
    }

    private static Map<String, Env> env(JsonNode node, List<String> errors) {
        Map<String, Env> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) return out;
        if (!node.isObject()) {
            errors.add("env must be an object");
            return out;
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode v = e.getValue();
            if (v.isString()) {
                out.put(e.getKey(), new Env(v.asString(), true, null));
            } else if (v.isObject()) {
                String generator = v.path("generator").isString() ? v.get("generator").asString() : null;
                if (generator != null && !generator.equals("secret")) {
                    errors.add("env." + e.getKey() + ".generator: only \"secret\" is supported");
                    generator = null;
                }
                String value = v.path("value").isValueNode() && !v.path("value").isNull() ? v.get("value").asString() : null;
                // Heroku: a variable is required unless it says otherwise
                boolean required = !v.has("required") || v.path("required").asBoolean(true);
                out.put(e.getKey(), new Env(value, required, generator));
            } else {
                errors.add("env." + e.getKey() + " must be a string or an object");
            }
        }
        return out;
    }

    private static List<AddonSpec> addons(JsonNode node, List<String> errors) {
        List<AddonSpec> out = new ArrayList<>();
        if (node == null || node.isNull()) return out;
        if (!node.isArray()) {
            errors.add("addons must be an array");
            return out;
        }
        for (JsonNode a : node) {
            if (a.isString()) {
                out.add(new AddonSpec(a.asString(), null));
            } else if (a.isObject() && a.path("plan").isString()) {
                if (a.has("options") && !a.path("options").isEmpty()) {
                    errors.add("addons: options of " + a.get("plan").asString() + " are not supported and were ignored");
                }
                out.add(new AddonSpec(a.get("plan").asString(), a.path("as").isString() ? a.get("as").asString() : null));
            } else {
                errors.add("addons: each entry must be a plan name or an object with a plan");
            }
        }
        return out;
    }

    private static List<String> buildpacks(JsonNode node, List<String> errors) {
        if (node == null || node.isNull()) return null;
        if (!node.isArray()) {
            errors.add("buildpacks must be an array");
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode b : node) {
            if (b.path("url").isString()) out.add(b.get("url").asString());
            else errors.add("buildpacks: each entry needs a url");
        }
        return out;
    }

    private static Map<String, Scale> formation(JsonNode node, List<String> errors) {
        Map<String, Scale> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) return out;
        if (!node.isObject()) {
            errors.add("formation must be an object");
            return out;
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode v = e.getValue();
            if (!v.isObject()) {
                errors.add("formation." + e.getKey() + " must be an object");
                continue;
            }
            Integer quantity = v.path("quantity").isIntegralNumber() ? v.get("quantity").asInt() : null;
            String size = v.path("size").isString() ? v.get("size").asString() : null;
            out.put(e.getKey(), new Scale(quantity, size));
        }
        return out;
    }

    private static String text(JsonNode parent, String field, List<String> errors, String path) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isString()) {
            errors.add(path + " must be a string");
            return null;
        }
        return n.asString();
    }
}
