package io.slipway.api.builds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.storage.ObjectKeys;
import io.slipway.api.storage.ObjectStorage;
import io.slipway.api.support.Response;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The build-worker's contract: claiming, leases, and what a result must prove before a release exists. */
class InternalBuildsApiTest extends BuildApiTestSupport {
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ObjectStorage storage;

    @Test
    void twoWorkersClaimingAtOnceNeverGetTheSameBuild() throws Exception {
        User alice = newUser();
        drainQueue();
        Set<String> mine = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            String app = createApp(alice, "race" + i);
            mine.add(createBuild(alice, app, "{\"source_blob\":{\"url\":\"https://example.com/" + i + ".tgz\"}}")
                    .expect(201).json().path("id").asText());
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<String>>> workers = new ArrayList<>();
            for (String worker : List.of("worker-a", "worker-b")) {
                Callable<List<String>> loop = () -> {
                    start.await();
                    List<String> got = new ArrayList<>();
                    while (true) {
                        Response r = claim(worker);
                        if (r.status() == 204) return got;
                        got.add(r.expect(200).json().path("build_id").asText());
                    }
                };
                workers.add(pool.submit(loop));
            }
            start.countDown();
            List<String> a = workers.get(0).get(60, TimeUnit.SECONDS);
            List<String> b = workers.get(1).get(60, TimeUnit.SECONDS);
            List<String> all = new ArrayList<>(a);
            all.addAll(b);
            assertThat(all).doesNotHaveDuplicates();
            assertThat(all).containsAll(mine);
            assertThat(jdbc.queryForList("SELECT DISTINCT lease_owner FROM builds WHERE id = ANY (?::uuid[])", String.class,
                    (Object) mine.toArray(new String[0]))).isSubsetOf("worker-a", "worker-b");
            for (String id : all) failBuild(id, "race over");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anAppsBuildsRunOneAtATimeInOrder() {
        User alice = newUser();
        String app = createApp(alice, "serial");
        drainQueue();
        String first = createBuild(alice, app, "{\"source_blob\":{\"url\":\"https://example.com/1.tgz\"}}").expect(201).json().path("id").asText();
        String second = createBuild(alice, app, "{\"source_blob\":{\"url\":\"https://example.com/2.tgz\"}}").expect(201).json().path("id").asText();
        assertThat(claim(WORKER).expect(200).json().path("build_id").asText()).isEqualTo(first);
        claim(WORKER).expect(204); // the second waits for the first
        assertThat(build(alice, app, second).path("status").asText()).isEqualTo("pending");
        failBuild(first, "first one failed");
        assertThat(claim(WORKER).expect(200).json().path("build_id").asText()).isEqualTo(second);
        failBuild(second, "done");
    }

    @Test
    void aLostWorkersBuildIsRetriedOnceThenFailed() throws Exception {
        User alice = newUser();
        String app = createApp(alice, "lost");
        String id = createBuild(alice, app, "{\"source_blob\":{\"url\":\"https://example.com/a.tgz\"}}").expect(201)
                .json().path("id").asText();
        String stream = build(alice, app, id).path("output_stream_url").asText();
        JsonNode firstClaim = claimOwn(id);
        output(id, "-----> first attempt\n").expect(204);

        expireLease(id);
        await("the build back in the queue", () -> jdbc.queryForObject(
                "SELECT lease_owner IS NULL FROM builds WHERE id = ?::uuid", Boolean.class, id));
        assertThat(build(alice, app, id).path("status").asText()).isEqualTo("pending");
        // the lost worker comes back: it must stop
        worker("POST", "/internal/builds/" + id + "/heartbeat").json("{}").send().expectError(409, "conflict");
        output(id, "zombie line\n").expectError(409, "conflict");
        result(id, succeeded(1, "{}")).expectError(409, "conflict");

        JsonNode secondClaim = claimOwn(id);
        assertThat(secondClaim.path("slug_id").asText()).isEqualTo(firstClaim.path("slug_id").asText());
        expireLease(id);
        await("the build failed", () -> "failed".equals(build(alice, app, id).path("status").asText()));
        assertThat(jdbc.queryForObject("SELECT message FROM builds WHERE id = ?::uuid", String.class, id))
                .isEqualTo("Build worker lost twice; build failed.");
        assertThat(jdbc.queryForObject("SELECT attempts FROM builds WHERE id = ?::uuid", Integer.class, id)).isEqualTo(2);
        try (OutputReader reader = new OutputReader(stream)) {
            reader.awaitEnd();
            assertThat(reader.text()).isEqualTo("-----> first attempt\n-----> Build worker lost, retrying\n"
                    + " !     Build worker lost twice; build failed.\n");
        }
        assertThat(call("GET", "/apps/" + app + "/releases").as(alice).send().json()).hasSize(1);
    }

    @Test
    void aBuildRunningPastTheTimeoutFailsEvenWithHeartbeats() {
        User alice = newUser();
        String app = createApp(alice, "slow");
        String id = createBuild(alice, app, "{\"source_blob\":{\"url\":\"https://example.com/a.tgz\"}}").expect(201)
                .json().path("id").asText();
        claimOwn(id);
        // claimed 900 s + one lease + a bit ago; the lease itself is fresh (the worker keeps heartbeating)
        jdbc.update("UPDATE builds SET started_at = now() - interval '961 seconds' WHERE id = ?::uuid", id);
        await("the build failed", () -> "failed".equals(build(alice, app, id).path("status").asText()));
        assertThat(jdbc.queryForObject("SELECT message FROM builds WHERE id = ?::uuid", String.class, id))
                .isEqualTo("Build timed out after 15 minutes.");
        worker("POST", "/internal/builds/" + id + "/heartbeat").json("{}").send().expectError(409, "conflict");
    }

    @Test
    void aHeartbeatKeepsTheLeaseAndNamesTheWorkerWhenSent() {
        User alice = newUser();
        String app = createApp(alice, "beat");
        String id = createBuild(alice, app, "{\"source_blob\":{\"url\":\"https://example.com/a.tgz\"}}").expect(201)
                .json().path("id").asText();
        claimOwn(id);
        java.sql.Timestamp before = leaseExpiry(id);
        worker("POST", "/internal/builds/" + id + "/heartbeat").json("{\"worker_id\":\"" + WORKER + "\"}").send().expect(200);
        assertThat(leaseExpiry(id)).isAfterOrEqualTo(before);
        worker("POST", "/internal/builds/" + id + "/heartbeat").json("{\"worker_id\":\"someone-else\"}").send()
                .expectError(409, "conflict");
        result(id, "{\"status\":\"failed\",\"message\":\"x\",\"worker_id\":\"someone-else\"}").expectError(409, "conflict");
        // an expired but not yet swept lease is renewed: the worker is alive
        jdbc.update("UPDATE builds SET lease_expires_at = now() - interval '1 second' WHERE id = ?::uuid", id);
        Response beat = worker("POST", "/internal/builds/" + id + "/heartbeat").send();
        // the sweeper may have won the race; both answers are allowed, nothing else
        assertThat(beat.status()).isIn(200, 409);
        if (beat.status() == 200) failBuild(id, "done");
    }

    @Test
    void aResultWhoseSlugWasNeverUploadedFailsTheBuild() {
        User alice = newUser();
        String app = createApp(alice, "noslug");
        String id = createBuild(alice, app, "{\"source_blob\":{\"url\":\"https://example.com/a.tgz\"}}").expect(201)
                .json().path("id").asText();
        claimOwn(id);
        Response r = result(id, succeeded(1234, "{\"web\":\"npm start\"}")).expectError(422, "invalid_params");
        assertThat(r.json().path("message").asText()).contains("is not in object storage");
        assertFailedWithoutRelease(alice, app, id, "is not in object storage");
    }

    @Test
    void aSlugOfAnotherSizeFailsTheBuild() {
        User alice = newUser();
        String app = createApp(alice, "size");
        String id = createBuild(alice, app, "{\"source_blob\":{\"url\":\"https://example.com/a.tgz\"}}").expect(201)
                .json().path("id").asText();
        JsonNode claim = claimOwn(id);
        assertThat(upload(claim.path("slug_put_url").asText(), new byte[10])).isEqualTo(200);
        result(id, succeeded(11, "{\"web\":\"npm start\"}")).expectError(422, "invalid_params");
        assertFailedWithoutRelease(alice, app, id, "10 bytes, not the 11 bytes reported");
    }

    @Test
    void aSlugOverTheLimitFailsTheBuildAndIsDeleted() {
        User alice = newUser();
        String app = createApp(alice, "large");
        String id = createBuild(alice, app, "{\"source_blob\":{\"url\":\"https://example.com/a.tgz\"}}").expect(201)
                .json().path("id").asText();
        JsonNode claim = claimOwn(id);
        int size = (int) MAX_SLUG_BYTES + 1;
        assertThat(upload(claim.path("slug_put_url").asText(), new byte[size])).isEqualTo(200);
        result(id, succeeded(size, "{\"web\":\"npm start\"}")).expectError(422, "invalid_params");
        assertFailedWithoutRelease(alice, app, id, "exceeds the 1 MB limit");
        assertThat(storage.size(ObjectKeys.slug(UUID.fromString(claim.path("app_id").asText()),
                UUID.fromString(claim.path("slug_id").asText())))).isEmpty();
    }

    @Test
    void invalidProcessTypesFailTheBuild() {
        User alice = newUser();
        String app = createApp(alice, "types");
        String id = createBuild(alice, app, "{\"source_blob\":{\"url\":\"https://example.com/a.tgz\"}}").expect(201)
                .json().path("id").asText();
        JsonNode claim = claimOwn(id);
        assertThat(upload(claim.path("slug_put_url").asText(), new byte[3])).isEqualTo(200);
        result(id, succeeded(3, "{\"web server\":\"npm start\"}")).expectError(422, "invalid_params");
        assertFailedWithoutRelease(alice, app, id, "Invalid process type web server");
    }

    @Test
    void refusesBadInternalRequests() {
        internalCall("POST", "/internal/builds/claim").json("{\"worker_id\":\"w\"}").send().expectError(401, "unauthorized");
        internalCall("POST", "/internal/builds/claim").header("Authorization", "Bearer wrong")
                .json("{\"worker_id\":\"w\"}").send().expectError(401, "unauthorized");
        User alice = newUser();
        internalCall("POST", "/internal/builds/claim").as(alice).json("{\"worker_id\":\"w\"}").send()
                .expectError(401, "unauthorized");
        // the public listener has no internal API at all
        call("POST", "/internal/builds/claim").as(alice).json("{\"worker_id\":\"w\"}").send().expectError(404, "not_found");

        worker("POST", "/internal/builds/claim").json("{}").send().expectError(422, "invalid_params");
        worker("POST", "/internal/builds/claim").json("{\"worker_id\":\"\"}").send().expectError(422, "invalid_params");
        worker("POST", "/internal/builds/claim").json("{\"worker_id\":5}").send().expectError(422, "invalid_params");
        worker("POST", "/internal/builds/claim").json("{\"worker_id\":").send().expectError(400, "bad_request");

        String unknown = UUID.randomUUID().toString();
        worker("POST", "/internal/builds/" + unknown + "/heartbeat").json("{}").send().expectError(404, "not_found");
        output(unknown, "x").expectError(404, "not_found");
        result(unknown, "{\"status\":\"failed\"}").expectError(404, "not_found");
        worker("POST", "/internal/builds/nope/heartbeat").json("{}").send().expectError(404, "not_found");

        String app = createApp(alice, "badres");
        String id = createBuild(alice, app, "{\"source_blob\":{\"url\":\"https://example.com/a.tgz\"}}").expect(201)
                .json().path("id").asText();
        claimOwn(id);
        for (String body : List.of("{}", "{\"status\":\"done\"}", "{\"status\":\"succeeded\"}",
                "{\"status\":\"succeeded\",\"slug\":{\"process_types\":{}}}",
                "{\"status\":\"succeeded\",\"slug\":{\"size\":-1,\"process_types\":{}}}",
                "{\"status\":\"succeeded\",\"slug\":{\"size\":\"12\",\"process_types\":{}}}",
                "{\"status\":\"succeeded\",\"slug\":{\"size\":12,\"process_types\":[]}}",
                "{\"status\":\"succeeded\",\"slug\":{\"size\":12,\"process_types\":{\"web\":1}}}",
                "{\"status\":\"succeeded\",\"slug\":{\"size\":12,\"checksum\":\"nope\"}}",
                "{\"status\":\"succeeded\",\"slug\":{\"size\":12,\"commit\":5}}")) {
            result(id, body).expectError(422, "invalid_params");
        }
        // none of that touched the build
        assertThat(build(alice, app, id).path("status").asText()).isEqualTo("pending");
        output(id, "line with a NUL \u0000 inside\n").expect(204);
        output(id, "").expect(204);
        failBuild(id, "done");
        assertThat(jdbc.queryForList("SELECT chunk FROM build_output WHERE build_id = ?::uuid ORDER BY seq", String.class, id))
                .containsExactly("line with a NUL  inside\n", " !     done\n");
    }

    private void assertFailedWithoutRelease(User user, String app, String id, String reason) {
        JsonNode b = build(user, app, id);
        assertThat(b.path("status").asText()).isEqualTo("failed");
        assertThat(b.path("release").isNull()).isTrue();
        assertThat(jdbc.queryForObject("SELECT message FROM builds WHERE id = ?::uuid", String.class, id)).contains(reason);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM slugs s JOIN builds b ON b.slug_id = s.id WHERE b.id = ?::uuid",
                Integer.class, id)).isZero();
        assertThat(call("GET", "/apps/" + app + "/releases").as(user).send().json()).hasSize(1);
        assertThat(call("GET", "/apps/" + app + "/formation").as(user).send().json()).isEmpty();
        assertThat(app(user, app).path("slug_size").asLong()).isZero();
        List<String> lines = Collections.list(new java.util.StringTokenizer(String.join("", jdbc.queryForList(
                "SELECT chunk FROM build_output WHERE build_id = ?::uuid ORDER BY seq", String.class, id)), "\n"))
                .stream().map(Object::toString).toList();
        assertThat(lines.get(lines.size() - 1)).startsWith(" !     ").contains(reason);
    }

    private void expireLease(String id) {
        assertThat(jdbc.update("UPDATE builds SET lease_expires_at = now() - interval '1 second' WHERE id = ?::uuid"
                + " AND lease_owner IS NOT NULL", id)).isEqualTo(1);
    }

    private java.sql.Timestamp leaseExpiry(String id) {
        return jdbc.queryForObject("SELECT lease_expires_at FROM builds WHERE id = ?::uuid", java.sql.Timestamp.class, id);
    }
}
