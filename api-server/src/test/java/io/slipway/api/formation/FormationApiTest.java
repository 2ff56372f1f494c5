package io.slipway.api.formation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

class FormationApiTest extends ApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    DefineProcessTypes defineProcessTypes;
    @Autowired
    AppRepository apps;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void listsTheFormationTheProcfileDefined() {
        User alice = newUser();
        String app = createApp(alice);
        assertThat(call("GET", "/apps/" + app + "/formation").as(alice).send().expect(200).json()).isEmpty();
        define(app, Map.of("web", "npm start", "worker", "node worker.js", "release", "npm run migrate"));

        Response list = call("GET", "/apps/" + app + "/formation").as(alice).send().expect(200).matches("formation");
        JsonNode formation = list.json();
        assertThat(formation).hasSize(2);
        JsonNode web = formation.get(0);
        assertThat(web.path("type").asText()).isEqualTo("web");
        assertThat(web.path("quantity").asInt()).isEqualTo(1);
        assertThat(web.path("size").asText()).isEqualTo("Basic");
        assertThat(web.path("dyno_size").path("name").asText()).isEqualTo("Basic");
        assertThat(web.path("command").asText()).isEqualTo("npm start");
        assertThat(web.path("app").path("name").asText()).isEqualTo(app);
        JsonNode worker = formation.get(1);
        assertThat(worker.path("type").asText()).isEqualTo("worker");
        assertThat(worker.path("quantity").asInt()).isZero();

        Response info = call("GET", "/apps/" + app + "/formation/web").as(alice).send().expect(200).matches("formation");
        assertThat(info.json().path("id").asText()).isEqualTo(web.path("id").asText());
        call("GET", "/apps/" + app + "/formation/" + web.path("id").asText()).as(alice).send().expect(200)
                .matches("formation");
        call("GET", "/apps/" + app + "/formation/release").as(alice).send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/formation/" + UUID.randomUUID()).as(alice).send().expectError(404, "not_found");

        JsonNode event = lastEvent(app, "formation.changed");
        assertThat(event.path("formation")).hasSize(2);
        assertThat(event.path("formation").get(0).path("type").asText()).isEqualTo("web");
        assertThat(event.path("formation").get(0).path("quantity").asInt()).isEqualTo(1);
    }

    @Test
    void scalesAsTheCliDoes() {
        User alice = newUser();
        String app = createApp(alice);
        define(app, Map.of("web", "npm start", "worker", "node worker.js"));

        // ps:scale web=2 (quantity as a string)
        Response scaled = batch(alice, app, "{\"updates\":[{\"quantity\":\"2\",\"type\":\"web\"}]}").expect(200)
                .matches("formation");
        assertThat(scaled.json()).hasSize(2);
        assertThat(quantityOf(scaled.json(), "web")).isEqualTo(2);
        assertThat(quantityOf(scaled.json(), "worker")).isZero();
        JsonNode event = lastEvent(app, "formation.changed");
        assertThat(event.path("formation")).hasSize(2);
        assertThat(event.path("formation").get(0).path("quantity").asInt()).isEqualTo(2);
        assertThat(event.path("formation").get(1).path("command").asText()).isEqualTo("node worker.js");

        // ps:scale web+1 worker=1:standard-2x
        Response relative = batch(alice, app, "{\"updates\":[{\"quantity\":\"+1\",\"type\":\"web\"},"
                + "{\"quantity\":\"1\",\"size\":\"standard-2x\",\"type\":\"worker\"}]}").expect(200).matches("formation");
        assertThat(quantityOf(relative.json(), "web")).isEqualTo(3);
        JsonNode worker = relative.json().get(1);
        assertThat(worker.path("quantity").asInt()).isEqualTo(1);
        assertThat(worker.path("size").asText()).isEqualTo("Standard-2X");
        assertThat(worker.path("dyno_size").path("name").asText()).isEqualTo("Standard-2X");

        // other clients: numbers and dyno_size objects
        Response numbers = batch(alice, app, "{\"updates\":[{\"quantity\":5,\"type\":\"web\",\"dyno_size\":{\"name\":\"Performance-M\"}},"
                + "{\"quantity\":\"-1\",\"type\":\"worker\"}]}").expect(200);
        assertThat(quantityOf(numbers.json(), "web")).isEqualTo(5);
        assertThat(numbers.json().get(0).path("size").asText()).isEqualTo("Performance-M");
        assertThat(quantityOf(numbers.json(), "worker")).isZero();

        Response one = call("PATCH", "/apps/" + app + "/formation/web").as(alice).json("{\"quantity\":0}").send()
                .expect(200).matches("formation");
        assertThat(one.json().path("quantity").asInt()).isZero();
        assertThat(one.json().path("size").asText()).isEqualTo("Performance-M");
        Response sized = call("PATCH", "/apps/" + app + "/formation/web").as(alice)
                .json("{\"dyno_size\":{\"name\":\"eco\"}}").send().expect(200).matches("formation");
        assertThat(sized.json().path("size").asText()).isEqualTo("Eco");
        assertThat(sized.json().path("quantity").asInt()).isZero();

        JsonNode listed = call("GET", "/apps/" + app + "/formation").as(alice).send().json();
        assertThat(quantityOf(listed, "web")).isZero();
    }

    @Test
    void aScaleThatChangesNothingWritesNoEvent() {
        User alice = newUser();
        String app = createApp(alice);
        define(app, Map.of("web", "npm start"));
        long before = eventCount(app, "formation.changed");
        batch(alice, app, "{\"updates\":[{\"quantity\":\"1\",\"type\":\"web\",\"size\":\"Basic\"}]}").expect(200);
        batch(alice, app, "{\"updates\":[]}").expect(200);
        call("PATCH", "/apps/" + app + "/formation/web").as(alice).json("{}").send().expect(200);
        assertThat(eventCount(app, "formation.changed")).isEqualTo(before);
    }

    @Test
    void refusesUnknownTypesAndBadQuantitiesWithoutChangingAnything() {
        User alice = newUser();
        String app = createApp(alice);
        define(app, Map.of("web", "npm start"));
        long before = eventCount(app, "formation.changed");

        Response unknown = batch(alice, app, "{\"updates\":[{\"quantity\":\"2\",\"type\":\"web\"},"
                + "{\"quantity\":\"1\",\"type\":\"worker\"}]}").expectError(422, "invalid_params");
        assertThat(unknown.json().path("message").asText()).isEqualTo("No such process type worker defined in Procfile.");
        batch(alice, app, "{\"updates\":[{\"quantity\":\"abc\",\"type\":\"web\"}]}").expectError(422, "invalid_params");
        batch(alice, app, "{\"updates\":[{\"quantity\":\"101\",\"type\":\"web\"}]}").expectError(422, "invalid_params");
        batch(alice, app, "{\"updates\":[{\"quantity\":\"-2\",\"type\":\"web\"}]}").expectError(422, "invalid_params");
        batch(alice, app, "{\"updates\":[{\"quantity\":\"+100\",\"type\":\"web\"}]}").expectError(422, "invalid_params");
        batch(alice, app, "{\"updates\":[{\"quantity\":1.5,\"type\":\"web\"}]}").expectError(422, "invalid_params");
        batch(alice, app, "{\"updates\":[{\"quantity\":99999999999,\"type\":\"web\"}]}").expectError(422, "invalid_params");
        batch(alice, app, "{\"updates\":[{\"quantity\":true,\"type\":\"web\"}]}").expectError(422, "invalid_params");
        Response size = batch(alice, app, "{\"updates\":[{\"size\":\"Huge\",\"type\":\"web\"}]}")
                .expectError(422, "invalid_params");
        assertThat(size.json().path("message").asText()).contains("Standard-1X");
        batch(alice, app, "{\"updates\":[{\"size\":7,\"type\":\"web\"}]}").expectError(422, "invalid_params");
        batch(alice, app, "{\"updates\":[{\"dyno_size\":[1],\"type\":\"web\"}]}").expectError(422, "invalid_params");
        batch(alice, app, "{\"updates\":[{\"quantity\":\"1\"}]}").expectError(422, "invalid_params");
        batch(alice, app, "{\"updates\":[\"web=1\"]}").expectError(422, "invalid_params");
        batch(alice, app, "{\"updates\":{\"type\":\"web\"}}").expectError(422, "invalid_params");
        batch(alice, app, "{}").expectError(422, "invalid_params");
        batch(alice, app, "{\"updates\":").expectError(400, "bad_request");
        call("PATCH", "/apps/" + app + "/formation/worker").as(alice).json("{\"quantity\":1}").send()
                .expectError(404, "not_found");
        call("PATCH", "/apps/" + app + "/formation/web").as(alice).json("{\"quantity\":\"x\"}").send()
                .expectError(422, "invalid_params");

        JsonNode listed = call("GET", "/apps/" + app + "/formation").as(alice).send().json();
        assertThat(quantityOf(listed, "web")).isEqualTo(1);
        assertThat(listed.get(0).path("size").asText()).isEqualTo("Basic");
        assertThat(eventCount(app, "formation.changed")).isEqualTo(before);
    }

    @Test
    void aNewReleaseRedefinesTheProcessTypes() {
        User alice = newUser();
        String app = createApp(alice);
        define(app, Map.of("web", "npm start", "worker", "node worker.js"));
        batch(alice, app, "{\"updates\":[{\"quantity\":\"3\",\"type\":\"web\",\"size\":\"Standard-1X\"}]}").expect(200);

        Map<String, String> next = new LinkedHashMap<>();
        next.put("web", "node server.js");
        next.put("clock", "node clock.js");
        List<Formation> result = define(app, next);
        assertThat(result).extracting(Formation::type).containsExactly("clock", "web");

        JsonNode listed = call("GET", "/apps/" + app + "/formation").as(alice).send().expect(200).matches("formation").json();
        assertThat(listed).hasSize(2);
        assertThat(listed.get(0).path("type").asText()).isEqualTo("clock");
        assertThat(listed.get(0).path("quantity").asInt()).isZero();
        assertThat(listed.get(1).path("quantity").asInt()).isEqualTo(3);
        assertThat(listed.get(1).path("size").asText()).isEqualTo("Standard-1X");
        assertThat(listed.get(1).path("command").asText()).isEqualTo("node server.js");
        assertThat(lastEvent(app, "formation.changed").path("formation")).hasSize(2);

        long before = eventCount(app, "formation.changed");
        define(app, next);
        assertThat(eventCount(app, "formation.changed")).isEqualTo(before);
    }

    @Test
    void anotherUsersAppIsNotFoundOnEveryEndpoint() {
        User alice = newUser();
        User mallory = newUser();
        String app = createApp(alice);
        define(app, Map.of("web", "npm start"));

        call("GET", "/apps/" + app + "/formation").as(mallory).send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/formation/web").as(mallory).send().expectError(404, "not_found");
        batch(mallory, app, "{\"updates\":[{\"quantity\":\"0\",\"type\":\"web\"}]}").expectError(404, "not_found");
        batch(mallory, app, "{}").expectError(404, "not_found");
        call("PATCH", "/apps/" + app + "/formation/web").as(mallory).json("{\"quantity\":0}").send()
                .expectError(404, "not_found");
        call("GET", "/apps/" + app + "/formation").send().expectError(401, "unauthorized");
        assertThat(quantityOf(call("GET", "/apps/" + app + "/formation").as(alice).send().json(), "web")).isEqualTo(1);
    }

    private String createApp(User user) {
        String name = uniqueAppName("frm");
        call("POST", "/apps").as(user).json("{\"name\":\"" + name + "\"}").send().expect(201);
        return name;
    }

    /** What the deploy pipeline will do when a release with process_types is created. */
    private List<Formation> define(String app, Map<String, String> processTypes) {
        return defineProcessTypes.define(apps.findByName(app).orElseThrow(), processTypes);
    }

    private Response batch(User user, String app, String body) {
        return call("PATCH", "/apps/" + app + "/formation").as(user).json(body).send();
    }

    private static int quantityOf(JsonNode formation, String type) {
        for (JsonNode f : formation) if (f.path("type").asText().equals(type)) return f.path("quantity").asInt();
        throw new AssertionError("no " + type + " in " + formation);
    }

    private long eventCount(String app, String type) {
        return jdbc.queryForObject("SELECT count(*) FROM events WHERE app_name = ? AND type = ?", Long.class, app, type);
    }

    private JsonNode lastEvent(String app, String type) {
        String payload = jdbc.queryForObject("SELECT payload FROM events WHERE app_name = ? AND type = ? "
                + "ORDER BY seq DESC LIMIT 1", String.class, app, type);
        try {
            return JSON.readTree(payload);
        } catch (Exception e) {
            throw new AssertionError(payload, e);
        }
    }
}
