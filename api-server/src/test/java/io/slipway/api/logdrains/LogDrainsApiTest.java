package io.slipway.api.logdrains;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.apps.Collaborator;
import io.slipway.api.apps.CollaboratorRepository;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

class LogDrainsApiTest extends ApiTest {
    private static final String HTTPS_DRAIN = "https://logs.example.com/drain?x=1";
    private static final String SYSLOG_DRAIN = "syslog+tls://logs.example.com:6514";

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CollaboratorRepository collaborators;

    private String newApp(User owner) {
        String name = uniqueAppName("drains");
        call("POST", "/apps").as(owner).json("{\"name\":\"" + name + "\"}").send().expect(201);
        return name;
    }

    private Response addDrain(User user, String app, String url) {
        return call("POST", "/apps/" + app + "/log-drains").as(user).json("{\"url\":\"" + url + "\"}").send();
    }

    /** As the CLI's drains:remove puts a URL into the path: encodeURIComponent. */
    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void addsListsShowsAndRemovesDrains() {
        User alice = newUser();
        String app = newApp(alice);
        Response https = addDrain(alice, app, HTTPS_DRAIN).expect(201).matches("log-drain");
        assertThat(https.json().path("url").asText()).isEqualTo(HTTPS_DRAIN);
        assertThat(https.json().path("app").path("name").asText()).isEqualTo(app);
        assertThat(https.json().get("addon").isNull()).isTrue();
        String token = https.json().path("token").asText();
        assertThat(token).startsWith("d.");
        UUID.fromString(token.substring(2));
        Response syslog = addDrain(alice, app, SYSLOG_DRAIN).expect(201).matches("log-drain");
        assertThat(syslog.json().path("token").asText()).isNotEqualTo(token);

        Response list = call("GET", "/apps/" + app + "/log-drains").as(alice).send().expect(200).matches("log-drain");
        assertThat(list.json().findValuesAsText("url")).containsExactlyInAnyOrder(HTTPS_DRAIN, SYSLOG_DRAIN);

        // by URL (percent-encoded, slashes included), by id, by token
        Response byUrl = call("GET", "/apps/" + app + "/log-drains/" + enc(HTTPS_DRAIN)).as(alice).send()
                .expect(200).matches("log-drain");
        assertThat(byUrl.json().path("token").asText()).isEqualTo(token);
        call("GET", "/apps/" + app + "/log-drains/" + https.json().path("id").asText()).as(alice).send().expect(200);
        call("GET", "/apps/" + app + "/log-drains/" + token).as(alice).send().expect(200);
        call("GET", "/apps/" + app + "/log-drains/" + enc(SYSLOG_DRAIN)).as(alice).send().expect(200);

        Response removed = call("DELETE", "/apps/" + app + "/log-drains/" + enc(HTTPS_DRAIN)).as(alice).send()
                .expect(200).matches("log-drain");
        assertThat(removed.json().path("url").asText()).isEqualTo(HTTPS_DRAIN);
        call("DELETE", "/apps/" + app + "/log-drains/" + enc(SYSLOG_DRAIN)).as(alice).send().expect(200);
        call("GET", "/apps/" + app + "/log-drains/" + enc(HTTPS_DRAIN)).as(alice).send().expectError(404, "not_found");
        call("DELETE", "/apps/" + app + "/log-drains/" + enc(HTTPS_DRAIN)).as(alice).send()
                .expectError(404, "not_found");
        assertThat(call("GET", "/apps/" + app + "/log-drains").as(alice).send().expect(200).json().size()).isZero();
    }

    @Test
    void recordsEventsForTheLogShippers() {
        User alice = newUser();
        String app = newApp(alice);
        String id = addDrain(alice, app, SYSLOG_DRAIN).expect(201).json().path("id").asText();
        call("DELETE", "/apps/" + app + "/log-drains/" + id).as(alice).send().expect(200);
        List<String> types = jdbc.queryForList(
                "SELECT type FROM events WHERE app_name = ? AND type LIKE 'log_drain.%' ORDER BY seq", String.class, app);
        assertThat(types).containsExactly("log_drain.added", "log_drain.removed");
        String payload = jdbc.queryForObject(
                "SELECT payload FROM events WHERE app_name = ? AND type = 'log_drain.added'", String.class, app);
        assertThat(payload).contains(SYSLOG_DRAIN).contains("\"token\":\"d.");
    }

    @Test
    void refusesInvalidAndDuplicateUrls() {
        User alice = newUser();
        String app = newApp(alice);
        for (String bad : new String[] {"ftp://logs.example.com/", "logs.example.com:514", "syslog://logs.example.com",
                "syslog+tls://logs.example.com", "https://", "https:///path", "https://logs.example.com/a b", "",
                "syslog://user:secret@logs.example.com:514", "https://logs.example.com/" + "x".repeat(2100)}) {
            addDrain(alice, app, bad).expectError(422, "invalid_params");
        }
        call("POST", "/apps/" + app + "/log-drains").as(alice).json("{\"url\":5}").send().expectError(422, "invalid_params");
        call("POST", "/apps/" + app + "/log-drains").as(alice).json("{}").send().expectError(422, "invalid_params");
        addDrain(alice, app, "syslog://logs.example.com:514").expect(201);
        addDrain(alice, app, "http://user:pass@logs.example.com/in").expect(201);
        addDrain(alice, app, "syslog://logs.example.com:514").expectError(409, "conflict");
        assertThat(call("GET", "/apps/" + app + "/log-drains").as(alice).send().json().size()).isEqualTo(2);
    }

    @Test
    void otherUsersAppsAreNotFoundButCollaboratorsMayManageDrains() {
        User alice = newUser();
        User bob = newUser();
        User carol = newUser();
        String app = newApp(alice);
        String id = addDrain(alice, app, HTTPS_DRAIN).expect(201).json().path("id").asText();

        addDrain(bob, app, "https://bob.example.com/").expectError(404, "not_found");
        call("GET", "/apps/" + app + "/log-drains").as(bob).send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/log-drains/" + id).as(bob).send().expectError(404, "not_found");
        call("DELETE", "/apps/" + app + "/log-drains/" + id).as(bob).send().expectError(404, "not_found");
        call("POST", "/apps/no-such-app-zz/log-drains").as(bob).json("{\"url\":\"" + HTTPS_DRAIN + "\"}").send()
                .expectError(404, "not_found");

        JsonNode appJson = call("GET", "/apps/" + app).as(alice).send().json();
        collaborators.save(new Collaborator(UUID.fromString(appJson.path("id").asText()), carol.id()));
        addDrain(carol, app, SYSLOG_DRAIN).expect(201);
        assertThat(call("GET", "/apps/" + app + "/log-drains").as(carol).send().expect(200).json().size()).isEqualTo(2);
        // a drain id of another app is not found through this one
        String other = newApp(bob);
        call("GET", "/apps/" + other + "/log-drains/" + id).as(bob).send().expectError(404, "not_found");
    }
}
