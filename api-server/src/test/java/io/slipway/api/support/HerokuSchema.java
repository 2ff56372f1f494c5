package io.slipway.api.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * Validates responses against Heroku's published Platform API schema (the contract). The schema is not part
 * of this repository: it is read from {@code $SLIPWAY_HEROKU_SCHEMA}, or from
 * {@code ../shared/heroku/platform-api-schema.json} next to the checkout when present (as in CI). Without
 * it, schema assertions are skipped, and never silently: the behavioural assertions of the same test still run,
 * and a test that passed them but skipped a schema check ends as skipped (aborted, with the reason) rather than
 * passed ({@link ReportSkipped}, registered on {@link ApiTest}), so a run's skipped count shows the gap; all this
 * holds unless {@code SLIPWAY_REQUIRE_HEROKU_SCHEMA=1} (as {@code .ci/run} sets when the reference folder is there): then
 * a missing schema fails every test that validates, so CI can never pass by skipping the contract silently.
 */
public final class HerokuSchema {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ConcurrentHashMap<String, JsonSchema> CACHE = new ConcurrentHashMap<>();
    private static JsonNode root;
    private static boolean looked;
    /** Schema checks skipped in the running test (tests of one JVM run one at a time). */
    private static final AtomicInteger SKIPPED = new AtomicInteger();

    private HerokuSchema() {}

    public static synchronized boolean available() {
        if (!looked) {
            looked = true;
            Path p = locate();
            if (p == null && "1".equals(System.getenv("SLIPWAY_REQUIRE_HEROKU_SCHEMA"))) {
                looked = false;
                throw new IllegalStateException("SLIPWAY_REQUIRE_HEROKU_SCHEMA=1 but Heroku's platform-api-schema.json"
                        + " was not found (set SLIPWAY_HEROKU_SCHEMA or keep ../shared/heroku beside the checkout)");
            }
            if (p == null) System.err.println("HerokuSchema: no platform-api-schema.json found; schema assertions skipped");
            if (p != null) {
                try {
                    root = JSON.readTree(Files.readString(p));
                } catch (IOException e) {
                    throw new IllegalStateException("unreadable schema " + p, e);
                }
            }
        }
        return root != null;
    }

    private static Path locate() {
        String env = System.getenv("SLIPWAY_HEROKU_SCHEMA");
        if (env != null && Files.isRegularFile(Path.of(env))) return Path.of(env);
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/heroku/platform-api-schema.json");
            if (Files.isRegularFile(candidate)) return candidate;
            candidate = dir.resolveSibling("shared").resolve("heroku/platform-api-schema.json");
            if (Files.isRegularFile(candidate)) return candidate;
        }
        return null;
    }

    /** Asserts {@code json} (one object) matches {@code definitions/<definition>}; skips if the schema is absent. */
    public static void assertMatches(String definition, String json) {
        if (!available()) {
            SKIPPED.incrementAndGet();
            return;
        }
        JsonSchema schema = CACHE.computeIfAbsent(definition, HerokuSchema::compile);
        try {
            Set<ValidationMessage> errors = schema.validate(JSON.readTree(json));
            assertThat(errors).as("response must match Heroku's %s schema: %s", definition, json).isEmpty();
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** Asserts every element of a JSON array matches the definition, and that there is at least one. */
    public static void assertEachMatches(String definition, String jsonArray) {
        if (!available()) {
            SKIPPED.incrementAndGet();
            return;
        }
        try {
            JsonNode array = JSON.readTree(jsonArray);
            assertThat(array.isArray()).as("expected an array: %s", jsonArray).isTrue();
            assertThat(array.size()).as("need at least one element to validate").isPositive();
            for (JsonNode element : array) assertMatches(definition, JSON.writeValueAsString(element));
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + jsonArray, e);
        }
    }

    /**
     * Ends a test that skipped schema checks as skipped, after all its other assertions passed: JUnit reports a
     * {@link TestAbortedException} from an after-each callback as the test's abortion, with this message.
     */
    public static final class ReportSkipped implements BeforeEachCallback, AfterEachCallback {
        @Override
        public void beforeEach(ExtensionContext context) {
            SKIPPED.set(0);
        }

        @Override
        public void afterEach(ExtensionContext context) {
            int skipped = SKIPPED.getAndSet(0);
            if (skipped > 0 && context.getExecutionException().isEmpty()) {
                throw new TestAbortedException("Heroku's platform-api-schema.json not found: " + skipped
                        + " schema check(s) skipped; every other assertion passed (set SLIPWAY_HEROKU_SCHEMA)");
            }
        }
    }

    /** For tests that only make sense with the schema. */
    public static void assumeAvailable() {
        assumeTrue(available(), "Heroku schema not found (set SLIPWAY_HEROKU_SCHEMA)");
    }

    /**
     * A few patterns pin Heroku's own hostnames ({@code git.heroku.com}, {@code herokuapp.com}); a self-hosted
     * platform serves its own, so those patterns (and only those) are not checked.
     */
    private static void dropHerokuHostPatterns(JsonNode node) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode obj) {
            JsonNode pattern = obj.get("pattern");
            if (pattern != null && pattern.isTextual() && pattern.asText().contains("heroku")) obj.remove("pattern");
        }
        node.forEach(HerokuSchema::dropHerokuHostPatterns);
    }

    private static JsonSchema compile(String definition) {
        assertThat(root.path("definitions").has(definition)).as("schema has no definition %s", definition).isTrue();
        // The whole document is the schema; validation starts at the definition, so its $refs resolve.
        com.fasterxml.jackson.databind.node.ObjectNode wrapper = root.deepCopy();
        wrapper.remove("links");
        wrapper.remove("properties");
        wrapper.put("$ref", "#/definitions/" + definition);
        wrapper.remove("$schema");
        wrapper.remove("id");
        wrapper.remove("type");
        dropHerokuHostPatterns(wrapper);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(wrapper, config);
    }
}
