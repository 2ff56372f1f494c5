package io.slipway.api.web;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A request body read strictly: malformed JSON is a 400, a field of the wrong type a 422 naming the field.
 * Controllers take the raw body as a String and read it through this, so the messages stay clear and
 * Jackson's coercions (a number where a name was expected) never slip through.
 */
public final class JsonBody {
    private final JsonNode root;

    private JsonBody(JsonNode root) {
        this.root = root;
    }

    /** An absent or blank body is an empty object, as most Heroku endpoints allow. */
    public static JsonBody parse(ObjectMapper mapper, String body) {
        if (body == null || body.isBlank()) return new JsonBody(mapper.createObjectNode());
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JacksonException e) {
            throw ApiErrors.badRequest("Request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw ApiErrors.invalidParams("Request body must be a JSON object.");
        }
        return new JsonBody(node);
    }

    public boolean has(String field) {
        return root.has(field);
    }

    public boolean isNull(String field) {
        return root.has(field) && root.get(field).isNull();
    }

    public JsonNode node(String field) {
        return root.get(field);
    }

    public JsonNode root() {
        return root;
    }

    /** A string field, or null when absent or JSON null. */
    public String optString(String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isString()) throw ApiErrors.invalidParams("Invalid `" + field + "`: expected a string.");
        return n.asString();
    }

    public String requireString(String field) {
        String s = optString(field);
        if (s == null) throw ApiErrors.invalidParams("Missing required param `" + field + "`.");
        return s;
    }

    public Boolean optBoolean(String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isBoolean()) throw ApiErrors.invalidParams("Invalid `" + field + "`: expected true or false.");
        return n.asBoolean();
    }

    /** A field holding an object or a string naming something: {@code "app": "name"} or {@code "app": {"name": ...}}. */
    public String optIdentity(String field, String... keys) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return null;
        if (n.isString()) return n.asString();
        if (n.isObject()) {
            for (String k : keys) {
                JsonNode v = n.get(k);
                if (v != null && v.isString()) return v.asString();
            }
        }
        throw ApiErrors.invalidParams("Invalid `" + field + "`.");
    }

    /** Every top-level field, in order; values are JSON nodes. */
    public Map<String, JsonNode> fields() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (var e : root.properties()) out.put(e.getKey(), e.getValue());
        return out;
    }
}
