package io.slipway.api.apps.web;

import io.slipway.api.web.HerokuTimestamps;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Writes an {@link AppJson} field by field, exactly as Jackson's bean serializer did (same names, the record's order, same values;
 * {@code AppJsonSerializerTest} compares the two). Why by hand: a {@code GET /apps} page is 200 apps, and Jackson's
 * generic path (a property writer and a method-handle call per field, a serializer lookup per nested object) was
 * about half of that request's CPU in session 15's profile (docs/benchmarks.md).
 */
final class AppJsonSerializer extends StdSerializer<AppJson> {
    private static final SerializableString ACM = name("acm"), ARCHIVED_AT = name("archived_at"),
            BUILD_STACK = name("build_stack"), BUILDPACK_DESCRIPTION = name("buildpack_provided_description"),
            CREATED_AT = name("created_at"), GENERATION = name("generation"), GIT_URL = name("git_url"),
            ID = name("id"), INTERNAL_ROUTING = name("internal_routing"), MAINTENANCE = name("maintenance"),
            NAME = name("name"), OWNER = name("owner"), ORGANIZATION = name("organization"), TEAM = name("team"),
            REGION = name("region"), RELEASED_AT = name("released_at"), REPO_SIZE = name("repo_size"),
            SLUG_SIZE = name("slug_size"), SPACE = name("space"), STACK = name("stack"),
            UPDATED_AT = name("updated_at"), WEB_URL = name("web_url"), EMAIL = name("email");

    AppJsonSerializer() {
        super(AppJson.class);
    }

    @Override
    public void serialize(AppJson app, JsonGenerator g, SerializationContext ctxt) {
        g.writeStartObject(app);
        bool(g, ACM, app.acm());
        instant(g, ARCHIVED_AT, app.archivedAt());
        string(g, BUILDPACK_DESCRIPTION, app.buildpackProvidedDescription());
        ref(g, BUILD_STACK, app.buildStack());
        instant(g, CREATED_AT, app.createdAt());
        ref(g, GENERATION, app.generation());
        string(g, GIT_URL, app.gitUrl());
        uuid(g, ID, app.id());
        bool(g, INTERNAL_ROUTING, app.internalRouting());
        bool(g, MAINTENANCE, app.maintenance());
        string(g, NAME, app.name());
        owner(g, app.owner());
        ref(g, ORGANIZATION, app.organization());
        ref(g, TEAM, app.team());
        ref(g, REGION, app.region());
        instant(g, RELEASED_AT, app.releasedAt());
        number(g, REPO_SIZE, app.repoSize());
        number(g, SLUG_SIZE, app.slugSize());
        ref(g, SPACE, app.space());
        ref(g, STACK, app.stack());
        instant(g, UPDATED_AT, app.updatedAt());
        string(g, WEB_URL, app.webUrl());
        g.writeEndObject();
    }

    private static void owner(JsonGenerator g, AppJson.Owner owner) {
        g.writeName(OWNER);
        if (owner == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject(owner);
        string(g, EMAIL, owner.email());
        uuid(g, ID, owner.id());
        g.writeEndObject();
    }

    private static void ref(JsonGenerator g, SerializableString name, AppJson.Ref ref) {
        g.writeName(name);
        if (ref == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject(ref);
        uuid(g, ID, ref.id());
        string(g, NAME, ref.name());
        g.writeEndObject();
    }

    private static void bool(JsonGenerator g, SerializableString name, boolean value) {
        g.writeName(name);
        g.writeBoolean(value);
    }

    private static void number(JsonGenerator g, SerializableString name, long value) {
        g.writeName(name);
        g.writeNumber(value);
    }

    private static void string(JsonGenerator g, SerializableString name, String value) {
        g.writeName(name);
        g.writeString(value); // a null String is written as null
    }

    private static void uuid(JsonGenerator g, SerializableString name, UUID value) {
        g.writeName(name);
        g.writeString(value == null ? null : value.toString());
    }

    private static void instant(JsonGenerator g, SerializableString name, Instant value) {
        g.writeName(name);
        g.writeString(value == null ? null : HerokuTimestamps.format(value));
    }

    private static SerializableString name(String s) {
        return new SerializedString(s);
    }
}
