package io.slipway.api.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.api.apps.AppAccess;
import io.slipway.api.features.web.FeatureJson;
import io.slipway.api.features.web.FeaturesController;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.HerokuSchema;
import io.slipway.api.support.Response;
import io.slipway.api.errors.DomainException;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.web.ApiException;
import io.slipway.api.identity.Caller;
import io.slipway.api.web.ComponentRole;
import io.slipway.shared.internalapi.InternalTransport;
import io.slipway.shared.routes.RoutesClient;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.ObjectMapper;

class FeaturesApiTest extends ApiTest {
    private static final Instant INTRODUCED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Feature ACCOUNT_SWITCH = new Feature(Feature.Scope.ACCOUNT, "test-account-switch",
            "Test account switch", "A switch that exists only in this test.", "https://slipway.example.com/docs/labs",
            "operators@example.com", "beta", INTRODUCED);
    private static final Feature APP_SWITCH = new Feature(Feature.Scope.APP, "test-app-switch",
            "Test app switch", "An app switch that exists only in this test.", "https://slipway.example.com/docs/labs",
            "operators@example.com", "public", INTRODUCED);

    @Autowired
    FeatureSwitches switches;
    @Autowired
    SetFeature setFeature;
    @Autowired
    AppAccess access;
    @Autowired
    ObjectMapper mapper;
    @Autowired
    JdbcTemplate jdbc;

    private String newApp(User owner) {
        String name = uniqueAppName("labs");
        call("POST", "/apps").as(owner).json("{\"name\":\"" + name + "\"}").send().expect(201);
        return name;
    }

    /** The shipped catalogue: no account switch, one app switch the router honours ({@code heroku labs -a app}). */
    @Test
    void theShippedCatalogueOffersHttpsOnlyForApps() {
        User alice = newUser();
        String app = newApp(alice);
        Response account = call("GET", "/account/features").as(alice).send().expect(200);
        assertThat(account.json().isArray()).isTrue();
        assertThat(account.json().size()).isZero();
        Response appFeatures = call("GET", "/apps/" + app + "/features").as(alice).send().expect(200);
        assertThat(appFeatures.json().size()).isEqualTo(1);
        HerokuSchema.assertMatches("app-feature", appFeatures.json().get(0).toString());
        assertThat(appFeatures.json().get(0).path("name").asText()).isEqualTo("https-only");
        assertThat(appFeatures.json().get(0).path("description").asText()).isEqualTo("Redirect plain HTTP requests to HTTPS");
        assertThat(appFeatures.json().get(0).path("enabled").asBoolean()).isFalse();
    }

    /**
     * {@code heroku labs:enable https-only -a app} and {@code labs:disable} over HTTP with the real database: the
     * switch shows in the feature, in the router's routes ({@code https_only}), and each real change (not a
     * repeated one) appends {@code app.feature_changed} for the router to follow.
     */
    @Test
    void httpsOnlySwitchesTheAppsRoutesAndTellsTheRouter() throws Exception {
        User alice = newUser();
        String app = newApp(alice);
        UUID appId = UUID.fromString(call("GET", "/apps/" + app).as(alice).send().json().path("id").asText());
        RoutesClient routes = new RoutesClient(new InternalTransport(URI.create(internalBaseUrl()),
                token(ComponentRole.ROUTER), HTTP));
        assertThat(routes.one(appId).httpsOnly()).isFalse();

        Response on = call("PATCH", "/apps/" + app + "/features/https-only").as(alice).json("{\"enabled\":true}").send()
                .expect(200);
        HerokuSchema.assertMatches("app-feature", on.body());
        assertThat(on.json().path("enabled").asBoolean()).isTrue();
        call("PATCH", "/apps/" + app + "/features/https-only").as(alice).json("{\"enabled\":true}").send().expect(200);
        assertThat(call("GET", "/apps/" + app + "/features/https-only").as(alice).send().expect(200).json()
                .path("enabled").asBoolean()).isTrue();
        assertThat(routes.one(appId).httpsOnly()).isTrue();
        assertThat(routes.all().apps()).filteredOn(r -> r.appId().equals(appId)).singleElement()
                .satisfies(r -> assertThat(r.httpsOnly()).isTrue());
        assertThat(featureEvents(appId)).containsExactly("https-only=true");

        // another user cannot switch it off (the app is not theirs to see)
        call("PATCH", "/apps/" + app + "/features/https-only").as(newUser()).json("{\"enabled\":false}").send()
                .expectError(404, "not_found");
        assertThat(routes.one(appId).httpsOnly()).isTrue();

        Response off = call("PATCH", "/apps/" + app + "/features/https-only").as(alice).json("{\"enabled\":false}")
                .send().expect(200);
        assertThat(off.json().path("enabled").asBoolean()).isFalse();
        call("PATCH", "/apps/" + app + "/features/https-only").as(alice).json("{\"enabled\":false}").send().expect(200);
        assertThat(routes.one(appId).httpsOnly()).isFalse();
        assertThat(featureEvents(appId)).containsExactly("https-only=true", "https-only=false");
        // switching one app's feature touches no other app's routes
        String other = newApp(alice);
        UUID otherId = UUID.fromString(call("GET", "/apps/" + other).as(alice).send().json().path("id").asText());
        call("PATCH", "/apps/" + app + "/features/https-only").as(alice).json("{\"enabled\":true}").send().expect(200);
        assertThat(routes.one(otherId).httpsOnly()).isFalse();
    }

    private List<String> featureEvents(UUID appId) {
        return jdbc.queryForList("SELECT payload FROM events WHERE app_id = ? AND type = 'app.feature_changed' "
                + "ORDER BY seq", String.class, appId).stream().map(mapper::readTree)
                .map(p -> p.path("name").asText() + "=" + p.path("enabled").asBoolean()).toList();
    }

    @Test
    void unknownFeaturesAndOtherUsersAppsAreNotFound() {
        User alice = newUser();
        User bob = newUser();
        String app = newApp(alice);
        call("GET", "/account/features/runtime-dyno-metadata").as(alice).send().expectError(404, "not_found");
        call("PATCH", "/account/features/runtime-dyno-metadata").as(alice).json("{\"enabled\":true}").send()
                .expectError(404, "not_found");
        call("GET", "/apps/" + app + "/features/preboot").as(alice).send().expectError(404, "not_found");
        call("PATCH", "/apps/" + app + "/features/preboot").as(alice).json("{\"enabled\":true}").send()
                .expectError(404, "not_found");
        Response r = call("GET", "/apps/" + app + "/features").as(bob).send().expectError(404, "not_found");
        assertThat(r.json().path("resource").asText()).isEqualTo("app");
        call("PATCH", "/account/features/x").as(alice).json("{\"enabled\":").send().expectError(400, "bad_request");
        call("GET", "/account/features").send().expectError(401, "unauthorized");
    }

    /**
     * The same controller over a catalogue holding one switch per scope: what {@code labs:enable} gets once a
     * component honours a feature. Answers are checked against Heroku's schema like the HTTP ones.
     */
    @Test
    void switchesCataloguedFeaturesOnAndOff() {
        User alice = newUser();
        String app = newApp(alice);
        Caller caller = new Caller(alice.id(), alice.email(), false, null);
        FeaturesController controller = new FeaturesController(
                new FeatureCatalogue(List.of(ACCOUNT_SWITCH, APP_SWITCH)), switches, setFeature, access, mapper);

        List<FeatureJson> listed = controller.accountFeatures(caller, null).getBody();
        assertThat(listed).hasSize(1);
        assertMatches("account-feature", listed.get(0));
        assertThat(listed.get(0).enabled()).isFalse();
        assertThat(listed.get(0).name()).isEqualTo("test-account-switch");

        FeatureJson on = controller.updateAccountFeature(caller, "test-account-switch", "{\"enabled\":true}");
        assertMatches("account-feature", on);
        assertThat(on.enabled()).isTrue();
        assertThat(on.updatedAt()).isAfter(INTRODUCED);
        assertThat(controller.accountFeature(caller, ACCOUNT_SWITCH.id().toString()).enabled()).isTrue();
        assertThat(controller.updateAccountFeature(caller, "test-account-switch", "{\"enabled\":true}").enabled())
                .as("enabling twice is harmless").isTrue();
        assertThat(switches.isEnabled(alice.id(), "test-account-switch")).isTrue();
        assertThat(controller.updateAccountFeature(caller, "test-account-switch", "{\"enabled\":false}").enabled()).isFalse();
        assertThat(switches.isEnabled(alice.id(), "test-account-switch")).isFalse();

        FeatureJson appOn = controller.updateAppFeature(caller, app, "test-app-switch", "{\"enabled\":true}");
        assertMatches("app-feature", appOn);
        List<FeatureJson> appList = controller.appFeatures(caller, app, null).getBody();
        assertThat(appList).extracting(FeatureJson::enabled).containsExactly(true);
        assertMatches("app-feature", appList.get(0));
        // app switches are per app: the account's list does not show them, nor another app
        assertThat(controller.accountFeatures(caller, null).getBody()).extracting(FeatureJson::name)
                .containsExactly("test-account-switch");
        assertThat(controller.appFeatures(caller, newApp(alice), null).getBody()).extracting(FeatureJson::enabled)
                .containsExactly(false);

        assertInvalid(() -> controller.updateAccountFeature(caller, "test-account-switch", "{}"));
        assertInvalid(() -> controller.updateAccountFeature(caller, "test-account-switch", "{\"enabled\":\"yes\"}"));
        assertThatThrownBy(() -> controller.accountFeature(caller, "test-app-switch"))
                .satisfies(e -> assertThat(herokuId(e)).isEqualTo("not_found"));
        User bob = newUser();
        Caller bobCaller = new Caller(bob.id(), bob.email(), false, null);
        assertThatThrownBy(() -> controller.updateAppFeature(bobCaller, app, "test-app-switch", "{\"enabled\":false}"))
                .satisfies(e -> assertThat(herokuId(e)).isEqualTo("not_found"));
        assertThat(switches.isEnabled(UUID.fromString(call("GET", "/apps/" + app).as(alice).send().json()
                .path("id").asText()), "test-app-switch")).isTrue();
    }

    private void assertMatches(String definition, FeatureJson json) {
        HerokuSchema.assertMatches(definition, mapper.writeValueAsString(json));
    }

    private static void assertInvalid(Runnable r) {
        assertThatThrownBy(r::run).satisfies(e -> assertThat(herokuId(e)).isEqualTo("invalid_params"));
    }

    /** The Heroku id the client gets, whether the controller or the use case refused. */
    private static String herokuId(Throwable e) {
        if (e instanceof DomainException d) return ApiErrors.of(d).id();
        assertThat(e).isInstanceOf(ApiException.class);
        return ((ApiException) e).id();
    }
}
