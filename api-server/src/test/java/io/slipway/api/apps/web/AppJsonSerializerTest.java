package io.slipway.api.apps.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.slipway.api.web.HerokuTimestamps;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/** {@link AppJsonSerializer} writes what Jackson's own bean serializer writes for the same {@link AppJson}, to the byte. */
class AppJsonSerializerTest {
    private final Random random = new Random(15);

    @Test
    void byHandIsWhatJacksonsBeanSerializerWrites() {
        ObjectMapper byHand = mapper(true);
        ObjectMapper jackson = mapper(false);
        for (int i = 0; i < 2_000; i++) {
            AppJson app = randomApp();
            assertEquals(jackson.writeValueAsString(app), byHand.writeValueAsString(app));
        }
        // and in a list, as GET /apps writes them
        List<AppJson> page = List.of(randomApp(), randomApp(), randomApp());
        assertEquals(jackson.writeValueAsString(page), byHand.writeValueAsString(page));
    }

    @Test
    void theComparisonSeesADifference() {
        // the reference really is Jackson's bean serializer: with a field changed, the two differ
        AppJson app = randomApp();
        AppJson renamed = new AppJson(app.acm(), app.archivedAt(), app.buildpackProvidedDescription(), app.buildStack(),
                app.createdAt(), app.generation(), app.gitUrl(), app.id(), app.internalRouting(), app.maintenance(),
                app.name() + "x", app.owner(), app.organization(), app.team(), app.region(), app.releasedAt(),
                app.repoSize(), app.slugSize(), app.space(), app.stack(), app.updatedAt(), app.webUrl());
        assertNotEquals(mapper(false).writeValueAsString(renamed), mapper(true).writeValueAsString(app));
    }

    /** The api-server's JSON settings (WebConfig); {@code useAnnotations} false ignores {@code @JsonSerialize}. */
    private static ObjectMapper mapper(boolean useAnnotations) {
        SimpleModule instants = new SimpleModule("heroku-instants");
        instants.addSerializer(Instant.class, new ValueSerializer<Instant>() {
            @Override
            public void serialize(Instant value, JsonGenerator gen, SerializationContext ctxt) {
                gen.writeString(HerokuTimestamps.format(value));
            }
        });
        JsonMapper.Builder b = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).addModule(instants);
        if (!useAnnotations) b.disable(MapperFeature.USE_ANNOTATIONS);
        return b.build();
    }

    private AppJson randomApp() {
        return new AppJson(random.nextBoolean(), maybe(this::instant), maybe(this::text), maybe(this::ref), maybe(this::instant),
                maybe(this::ref), maybe(this::text), maybe(UUID::randomUUID), random.nextBoolean(), random.nextBoolean(),
                maybe(this::text), maybe(() -> new AppJson.Owner(maybe(this::text), maybe(UUID::randomUUID))),
                maybe(this::ref), maybe(this::ref), maybe(this::ref), maybe(this::instant), random.nextLong(),
                random.nextInt(), maybe(this::ref), maybe(this::ref), maybe(this::instant), maybe(this::text));
    }

    private AppJson.Ref ref() {
        return new AppJson.Ref(maybe(UUID::randomUUID), maybe(this::text));
    }

    private Instant instant() {
        return Instant.ofEpochSecond(random.nextLong(-62167219200L, 253402300800L), random.nextInt(1_000_000_000));
    }

    /** Text that needs escaping now and then: quotes, controls, non-ASCII, a surrogate pair. */
    private String text() {
        String[] parts = {"app", "-", "\"", "\\", "\n", "\u0001", "é", "\u2028", "😀", "https://x.example/", "</script>"};
        StringBuilder s = new StringBuilder();
        for (int n = random.nextInt(6); n >= 0; n--) s.append(parts[random.nextInt(parts.length)]);
        return s.toString();
    }

    private <T> T maybe(java.util.function.Supplier<T> value) {
        return random.nextInt(5) == 0 ? null : value.get();
    }
}
