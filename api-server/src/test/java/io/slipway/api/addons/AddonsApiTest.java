package io.slipway.api.addons;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Import;

/** The add-on API as the stock CLI drives it, against stand-in providers ({@link FakeAddonProviders}). */
@Import(FakeAddonProviders.class)
class AddonsApiTest extends ApiTest {
    static final String NEWEST = "version ..; order=desc,max=1";
    static final String SDK = "application/vnd.heroku+json; version=3.sdk";

    @Autowired
    @Qualifier("fakePostgres")
    FakeAddonProviders.Fake postgres;

    @Test
    void createSetsDatabaseUrlAndColourInOneReleaseAsTheCliSendsIt() {
        User alice = newUser();
        String app = createApp(alice);
        int before = newest(alice, app).path("version").asInt();

        // exactly what `heroku addons:create heroku-postgresql` sends
        Response created = call("POST", "/apps/" + app + "/addons").as(alice)
                .header("accept-expansion", "plan").header("x-heroku-legacy-provider-messages", "true")
                .json("{\"attachment\":{},\"config\":{},\"plan\":{\"name\":\"heroku-postgresql\"}}").send()
                .expect(201).matches("add-on");
        JsonNode addon = created.json();
        String name = addon.path("name").asText();
        assertThat(name).matches("postgresql-[a-z]+-\\d{5}");
        assertThat(addon.path("state").asText()).isEqualTo("provisioned");
        assertThat(addon.path("plan").path("name").asText()).isEqualTo("heroku-postgresql:essential-0");
        assertThat(addon.path("plan").path("price").path("cents").asInt()).isZero();
        assertThat(addon.path("app").path("name").asText()).isEqualTo(app);
        List<String> vars = texts(addon.path("config_vars"));
        assertThat(vars).hasSize(2).contains("DATABASE_URL");
        String colour = vars.stream().filter(v -> !v.equals("DATABASE_URL")).findFirst().orElseThrow();
        assertThat(colour).matches("HEROKU_POSTGRESQL_[A-Z]+_URL");

        JsonNode config = call("GET", "/apps/" + app + "/config-vars").as(alice).send().expect(200).json();
        assertThat(config.path("DATABASE_URL").asText()).startsWith("postgres://").endsWith("/" + name);
        assertThat(config.path(colour).asText()).isEqualTo(config.path("DATABASE_URL").asText());
        JsonNode release = newest(alice, app);
        assertThat(release.path("version").asInt()).isEqualTo(before + 1);
        assertThat(release.path("description").asText()).startsWith("Attach DATABASE").endsWith("(@ref:" + name + ")");
        assertThat(postgres.live).containsValue(name);

        // what `heroku addons -a app` reads
        Response listed = call("GET", "/apps/" + app + "/addons").as(alice).header("Accept", SDK)
                .header("Accept-Expansion", "addon_service,plan").send().expect(200).matches("add-on");
        assertThat(listed.json()).hasSize(1);
        assertThat(listed.json().get(0).path("addon_service").path("name").asText()).isEqualTo("heroku-postgresql");
        assertThat(listed.json().get(0).path("billed_price").path("cents").asInt()).isZero();
        Response atts = call("GET", "/addon-attachments").as(alice).send().expect(200).matches("add-on-attachment");
        assertThat(texts(atts.json(), "name")).contains("DATABASE", colour.replace("_URL", ""));
        call("GET", "/addons/" + name).as(alice).send().expect(200).matches("add-on");
        call("GET", "/apps/" + app + "/addons/" + name).as(alice).send().expect(200);
    }

    @Test
    void aSecondPostgresGetsOnlyItsColourUnlessAsIsGiven() {
        User alice = newUser();
        String app = createApp(alice);
        String first = create(alice, app, "{\"plan\":\"heroku-postgresql\"}").path("name").asText();
        JsonNode second = create(alice, app, "{\"plan\":\"heroku-postgresql:essential-1\"}");
        List<String> vars = texts(second.path("config_vars"));
        assertThat(vars).hasSize(1);
        assertThat(vars.get(0)).matches("HEROKU_POSTGRESQL_[A-Z]+_URL");
        JsonNode config = call("GET", "/apps/" + app + "/config-vars").as(alice).send().expect(200).json();
        assertThat(config.path("DATABASE_URL").asText()).endsWith("/" + first);
        assertThat(config.path(vars.get(0)).asText()).endsWith("/" + second.path("name").asText());
        assertThat(newest(alice, app).path("description").asText()).startsWith("Attach HEROKU_POSTGRESQL_");

        JsonNode third = create(alice, app, "{\"plan\":\"heroku-postgresql\",\"attachment\":{\"name\":\"ANALYTICS\"}}");
        assertThat(texts(third.path("config_vars"))).contains("ANALYTICS_URL");

        // --as a name in use replaces it only when confirmed
        call("POST", "/apps/" + app + "/addons").as(alice)
                .json("{\"plan\":\"heroku-postgresql\",\"attachment\":{\"name\":\"DATABASE\"}}").send()
                .expectError(423, "confirmation_required");
        JsonNode replacing = create(alice, app,
                "{\"plan\":\"heroku-postgresql\",\"attachment\":{\"name\":\"DATABASE\"},\"confirm\":\"" + app + "\"}");
        config = call("GET", "/apps/" + app + "/config-vars").as(alice).send().expect(200).json();
        assertThat(config.path("DATABASE_URL").asText()).endsWith("/" + replacing.path("name").asText());
    }

    @Test
    void attachToASecondAppWithAsThenDetach() {
        User alice = newUser();
        String app = createApp(alice);
        String other = createApp(alice);
        String name = create(alice, app, "{\"plan\":\"heroku-postgresql\"}").path("name").asText();

        // `heroku addons:attach app::DATABASE -a other --as REPORTING` first reads the add-on by that identity
        assertThat(call("GET", "/addons/" + app + "::DATABASE").as(alice).send().expect(200).json().path("name").asText())
                .isEqualTo(name);
        Response attached = call("POST", "/addon-attachments").as(alice)
                .json("{\"addon\":{\"name\":\"" + name + "\"},\"app\":{\"name\":\"" + other + "\"},\"name\":\"REPORTING\"}")
                .send().expect(201).matches("add-on-attachment");
        assertThat(attached.json().path("name").asText()).isEqualTo("REPORTING");
        assertThat(attached.json().path("app").path("name").asText()).isEqualTo(other);
        assertThat(attached.json().path("addon").path("app").path("name").asText()).isEqualTo(app);
        JsonNode config = call("GET", "/apps/" + other + "/config-vars").as(alice).send().expect(200).json();
        assertThat(config.path("REPORTING_URL").asText()).endsWith("/" + name);
        assertThat(newest(alice, other).path("description").asText()).isEqualTo("Attach REPORTING (@ref:" + name + ")");

        // `heroku addons:detach REPORTING -a other`
        String id = call("GET", "/apps/" + other + "/addon-attachments/REPORTING").as(alice).send().expect(200)
                .json().path("id").asText();
        call("DELETE", "/addon-attachments/" + id).as(alice).send().expect(200).matches("add-on-attachment");
        config = call("GET", "/apps/" + other + "/config-vars").as(alice).send().expect(200).json();
        assertThat(config.has("REPORTING_URL")).isFalse();
        assertThat(newest(alice, other).path("description").asText()).isEqualTo("Detach REPORTING (@ref:" + name + ")");
        assertThat(call("GET", "/apps/" + app + "/config-vars").as(alice).send().json().has("DATABASE_URL")).isTrue();
        assertThat(postgres.live).containsValue(name);
    }

    @Test
    void destroyDetachesEverywhereThenDeprovisions() {
        User alice = newUser();
        String app = createApp(alice);
        String other = createApp(alice);
        JsonNode addon = create(alice, app, "{\"plan\":\"heroku-postgresql\"}");
        String name = addon.path("name").asText();
        call("POST", "/addon-attachments").as(alice)
                .json("{\"addon\":\"" + name + "\",\"app\":\"" + other + "\"}").send().expect(201);

        // what `heroku addons:destroy` sends: by the billing app's id and the add-on's id
        String appId = addon.path("app").path("id").asText();
        Response destroyed = call("DELETE", "/apps/" + appId + "/addons/" + addon.path("id").asText()).as(alice)
                .header("Accept-Expansion", "plan").json("{\"force\":false}").send().expect(200).matches("add-on");
        assertThat(destroyed.json().path("state").asText()).isEqualTo("deprovisioned");

        for (String a : List.of(app, other)) {
            JsonNode config = call("GET", "/apps/" + a + "/config-vars").as(alice).send().expect(200).json();
            assertThat(config.has("DATABASE_URL")).as("config of %s", a).isFalse();
            assertThat(newest(alice, a).path("description").asText()).startsWith("Detach ").endsWith("(@ref:" + name + ")");
        }
        assertThat(postgres.deprovisioned).contains(name);
        assertThat(postgres.live).doesNotContainValue(name);
        call("GET", "/addons/" + name).as(alice).send().expectError(404, "not_found");
        assertThat(call("GET", "/apps/" + app + "/addons").as(alice).send().json()).isEmpty();
    }

    @Test
    void destroyingAnAppDeprovisionsItsAddonsAndDetachesThemFromOtherApps() {
        User alice = newUser();
        String app = createApp(alice);
        String other = createApp(alice);
        String name = create(alice, app, "{\"plan\":\"heroku-postgresql\"}").path("name").asText();
        call("POST", "/addon-attachments").as(alice)
                .json("{\"addon\":\"" + name + "\",\"app\":\"" + other + "\",\"name\":\"SHARED\"}").send().expect(201);

        call("DELETE", "/apps/" + app).as(alice).send().expect(200);

        assertThat(postgres.deprovisioned).contains(name);
        assertThat(postgres.live).doesNotContainValue(name);
        assertThat(call("GET", "/apps/" + other + "/config-vars").as(alice).send().json().has("SHARED_URL")).isFalse();
        assertThat(call("GET", "/apps/" + other + "/addon-attachments").as(alice).send().json()).isEmpty();
    }

    @Test
    void providerFailureLeavesNoAddonAttachmentNorRelease() {
        User alice = newUser();
        String app = createApp(alice);
        int before = newest(alice, app).path("version").asInt();

        call("POST", "/apps/" + app + "/addons").as(alice)
                .json("{\"plan\":\"heroku-postgresql\",\"name\":\"fail-" + app + "\"}").send()
                .expectError(503, "unavailable");

        assertThat(newest(alice, app).path("version").asInt()).isEqualTo(before);
        assertThat(call("GET", "/apps/" + app + "/addons").as(alice).send().json()).isEmpty();
        assertThat(call("GET", "/apps/" + app + "/addon-attachments").as(alice).send().json()).isEmpty();
        assertThat(call("GET", "/apps/" + app + "/config-vars").as(alice).send().json().has("DATABASE_URL")).isFalse();
        // the name is free again
        call("GET", "/addons/fail-" + app).as(alice).send().expectError(404, "not_found");
    }

    @Test
    void unknownPlansAndUnconfiguredServicesAreClear422s() {
        User alice = newUser();
        String app = createApp(alice);
        Response unknown = call("POST", "/apps/" + app + "/addons").as(alice)
                .json("{\"plan\":{\"name\":\"heroku-postgresql:nope\"}}").send().expectError(422, "invalid_params");
        assertThat(unknown.json().path("message").asText()).startsWith("Couldn't find either the add-on");
        call("POST", "/apps/" + app + "/addons").as(alice)
                .json("{\"plan\":\"heroku-postgresql\",\"config\":{\"version\":\"15\"}}").send()
                .expectError(422, "invalid_params");
        postgres.missing = "SLIPWAY_ADDONS_POSTGRES_ADMIN_URL";
        try {
            Response unconfigured = call("POST", "/apps/" + app + "/addons").as(alice)
                    .json("{\"plan\":\"heroku-postgresql\"}").send().expectError(422, "invalid_params");
            assertThat(unconfigured.json().path("message").asText()).contains("SLIPWAY_ADDONS_POSTGRES_ADMIN_URL");
        } finally {
            postgres.missing = null;
        }
    }

    @Test
    void renameAndPlanChangeAsTheCliSendsThem() {
        User alice = newUser();
        String app = createApp(alice);
        JsonNode addon = create(alice, app, "{\"plan\":\"heroku-postgresql\"}");
        String newName = "db-" + app;
        call("PATCH", "/apps/" + addon.path("app").path("id").asText() + "/addons/" + addon.path("id").asText())
                .as(alice).json("{\"name\":\"" + newName + "\"}").send().expect(200).matches("add-on");
        call("GET", "/addons/" + newName).as(alice).send().expect(200);

        Response upgraded = call("PATCH", "/apps/" + app + "/addons/" + newName).as(alice)
                .header("Accept-Expansion", "plan")
                .json("{\"plan\":{\"name\":\"heroku-postgresql:standard-0\"}}").send().expect(200).matches("add-on");
        assertThat(upgraded.json().path("plan").path("name").asText()).isEqualTo("heroku-postgresql:standard-0");
        Response wrong = call("PATCH", "/apps/" + app + "/addons/" + newName).as(alice)
                .json("{\"plan\":{\"name\":\"heroku-postgresql:gold\"}}").send().expectError(422, "invalid_params");
        assertThat(wrong.json().path("message").asText()).startsWith("Couldn't find either the add-on");
    }

    @Test
    void servicesAndPlansMatchHerokusShapes() {
        User alice = newUser();
        Response services = call("GET", "/addon-services").as(alice).send().expect(200).matches("add-on-service");
        assertThat(texts(services.json(), "name")).contains("heroku-postgresql", "heroku-redis");
        Response plans = call("GET", "/addon-services/heroku-redis/plans").as(alice).send().expect(200).matches("plan");
        assertThat(texts(plans.json(), "name")).contains("heroku-redis:mini");
        String planId = plans.json().get(0).path("id").asText();
        call("GET", "/plans/" + planId).as(alice).send().expect(200).matches("plan");
        call("GET", "/addon-services/heroku-postgresql").as(alice).send().expect(200).matches("add-on-service");
        call("GET", "/addon-services/nope").as(alice).send().expectError(404, "not_found");
    }

    JsonNode create(User user, String app, String body) {
        return call("POST", "/apps/" + app + "/addons").as(user).header("Accept-Expansion", "plan").json(body)
                .send().expect(201).json();
    }

    String createApp(User user) {
        String name = uniqueAppName("addon");
        call("POST", "/apps").as(user).json("{\"name\":\"" + name + "\"}").send().expect(201);
        return name;
    }

    JsonNode newest(User user, String app) {
        JsonNode list = call("GET", "/apps/" + app + "/releases").as(user).header("Range", NEWEST).send().json();
        return list.isEmpty() ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : list.get(0);
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }
}
