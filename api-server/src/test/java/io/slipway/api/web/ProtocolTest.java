package io.slipway.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Heroku protocol details that hold for every endpoint: paging, Request-Id, versions, rate limit, errors. */
class ProtocolTest extends ApiTest {

    @Test
    void pagesWithRangeAndNextRangeUntilTheLastPage() {
        User alice = newUser();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String name = uniqueAppName("page" + i);
            names.add(name);
            call("POST", "/apps").as(alice).json("{\"name\":\"" + name + "\"}").send().expect(201);
        }
        List<String> seen = new ArrayList<>();
        String range = "name ..; max=3";
        int requests = 0;
        while (range != null) {
            Response page = call("GET", "/users/~/apps").as(alice).header("Range", range).send();
            assertThat(page.status()).isIn(200, 206);
            page.json().forEach(app -> seen.add(app.path("name").asText()));
            String next = page.header("Next-Range");
            assertThat(next == null).as("Next-Range only on partial pages").isEqualTo(page.status() == 200);
            range = next;
            assertThat(++requests).isLessThan(10);
        }
        assertThat(requests).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(names.stream().sorted().toList());
    }

    @Test
    void requestIdsAreFreshVersion4Uuids() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = ProtocolFilter.requestId();
            assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
    }

    @Test
    void descendingOrderAndMax() {
        User alice = newUser();
        for (int i = 0; i < 3; i++) {
            call("POST", "/apps").as(alice).json("{\"name\":\"" + uniqueAppName("desc") + "\"}").send().expect(201);
        }
        Response page = call("GET", "/apps").as(alice).header("Range", "name ..; max=2, order=desc").send().expect(206);
        List<String> got = new ArrayList<>();
        page.json().forEach(app -> got.add(app.path("name").asText()));
        assertThat(got).hasSize(2);
        assertThat(got.get(0)).isGreaterThan(got.get(1));
    }

    @Test
    void refusesBadRanges() {
        User alice = newUser();
        call("GET", "/apps").as(alice).header("Range", "color ..").send().expectError(400, "bad_request");
        call("GET", "/apps").as(alice).header("Range", "name ..; max=abc").send().expectError(400, "bad_request");
    }

    @Test
    void everyResponseHasARequestId() {
        assertThat(call("GET", "/apps").send().header("Request-Id")).matches("[0-9a-f-]{36}");
        assertThat(call("GET", "/apps").as(newUser()).send().header("Request-Id")).matches("[0-9a-f-]{36}");
    }

    @Test
    void acceptsVersion3VariantsAndRefusesOthers() {
        User alice = newUser();
        call("GET", "/apps").as(alice).header("Accept", "application/vnd.heroku+json; version=3.sdk").send().expect(200);
        call("GET", "/apps").as(alice).header("Accept", "application/json").send().expect(200);
        call("GET", "/apps").as(alice).header("Accept", "application/vnd.heroku+json; version=2").send()
                .expectError(400, "bad_request");
    }

    @Test
    void unknownPathsAnswerNotFoundAsJson() {
        call("GET", "/no/such/thing").as(newUser()).send().expectError(404, "not_found");
    }

    @Test
    void rateLimitRemainingFallsAndAnEmptyBucketAnswers429() {
        User alice = newUser();
        long first = Long.parseLong(call("GET", "/apps").as(alice).send().expect(200).header("RateLimit-Remaining"));
        long second = Long.parseLong(call("GET", "/apps").as(alice).send().expect(200).header("RateLimit-Remaining"));
        assertThat(second).isLessThan(first);
        // drain the bucket: the configured limit is the whole bucket
        Response last = null;
        for (long i = 0; i <= second + 100; i++) {
            last = call("GET", "/apps").as(alice).send();
            if (last.status() == 429) break;
        }
        last.expectError(429, "rate_limit");
        assertThat(last.header("RateLimit-Remaining")).isEqualTo("0");
        // another account is not affected
        call("GET", "/apps").as(newUser()).send().expect(200);
    }

    @Test
    void healthNeedsNoCredentials() {
        assertThat(call("GET", "/health").send().expect(200).json().path("status").asText()).isEqualTo("ok");
    }
}
