package io.slipway.api.pgdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.slipway.api.addons.Addon;
import io.slipway.api.addons.AddonAttachmentRepository;
import io.slipway.api.addons.AddonRepository;
import io.slipway.api.addons.catalogue.AddonCatalogue;
import io.slipway.api.addons.postgres.PgTestAddonsAccess;
import io.slipway.api.addons.postgres.PostgresAddonProvider;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.support.PgAddonsApiTest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The data API the stock CLI's {@code pg:*} commands call on {@code HEROKU_DATA_HOST}, over real HTTP against a
 * real PostgreSQL 15, pg_dump/pg_restore and the object store; requests shaped as the CLI sends them.
 */
class PgDataApiTest extends PgAddonsApiTest {
    @Autowired PostgresAddonProvider provider;
    @Autowired AddonRepository addonRepository;
    @Autowired AddonAttachmentRepository attachmentRepository;
    @Autowired AddonCatalogue catalogue;
    @Autowired AppRepository apps;
    @Autowired BackupSchedules backupSchedules;
    @Autowired NewTransfers newTransfers;
    @Autowired LostTransfers lostTransfers;
    @Autowired io.slipway.api.storage.ObjectStorage storage;

    private record Db(String app, Addon addon) {
        String url() { return addon.config().get("URL"); }
    }

    private Db newDatabase(User owner) {
        String name = uniqueAppName("pgdata");
        call("POST", "/apps").as(owner).json("{\"name\":\"" + name + "\"}").send().expect(201);
        UUID appId = apps.findByName(name).orElseThrow().id();
        Addon addon = PgTestAddonsAccess.create(provider, addonRepository, attachmentRepository, catalogue, appId, DEFAULT_PLAN);
        return new Db(name, addon);
    }

    private static Connection connect(String url) throws SQLException {
        return PgTestAddonsAccess.connect(url);
    }

    @Test
    void infoShowsTheDatabaseToWhoeverCanSeeItAndToNobodyElse() {
        User owner = newUser();
        Db db = newDatabase(owner);
        JsonNode info = call("GET", "/client/v11/databases/" + db.addon().id()).as(owner).send().expect(200).json();
        assertThat(info.path("resource_url").asText()).isEqualTo(db.url());
        assertThat(info.path("info").toString()).contains("\"Plan\"", "Essential 0", "\"Data Size\"", "\"PG Version\"", "15.");
        // by name too (pg:credentials:url uses the add-on's name)
        call("GET", "/client/v11/databases/" + db.addon().name()).as(owner).send().expect(200);

        User stranger = newUser();
        call("GET", "/client/v11/databases/" + db.addon().id()).as(stranger).send().expectError(404, "not_found");
        call("POST", "/client/v11/databases/" + db.addon().id() + "/connection_reset").as(stranger).send()
                .expectError(404, "not_found");
        call("PUT", "/client/v11/databases/" + db.addon().id() + "/reset").as(stranger).json("{}").send()
                .expectError(404, "not_found");
        call("GET", "/postgres/v0/databases/" + db.addon().name() + "/credentials/default").as(stranger).send()
                .expectError(404, "not_found");
        call("GET", "/client/v11/databases/" + db.addon().id()).send().expect(401);
    }

    /** The CLI sends this one with Basic auth of an empty user and the API key. */
    @Test
    void credentialsUrlGivesTheConnectionOfTheDefaultCredential() throws Exception {
        User owner = newUser();
        Db db = newDatabase(owner);
        JsonNode cred = call("GET", "/postgres/v0/databases/" + db.addon().name() + "/credentials/default")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((":" + owner.apiKey()).getBytes()))
                .send().expect(200).json();
        URI url = URI.create(db.url());
        assertThat(cred.path("host").asText()).isEqualTo(url.getHost());
        assertThat(cred.path("port").asInt()).isEqualTo(url.getPort());
        assertThat(cred.path("database").asText()).isEqualTo(url.getPath().substring(1));
        JsonNode active = cred.path("credentials").get(0);
        assertThat(active.path("state").asText()).isEqualTo("active");
        assertThat(db.url()).contains(active.path("user").asText() + ":" + active.path("password").asText() + "@");
    }

    @Test
    void killallEndsSessionsAndResetEmptiesTheDatabaseKeepingTheCredentials() throws Exception {
        User owner = newUser();
        Db db = newDatabase(owner);
        try (Connection c = connect(db.url()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE doomed (x int)");
        }
        Connection open = connect(db.url());
        call("POST", "/client/v11/databases/" + db.addon().id() + "/connection_reset").as(owner).send().expect(200);
        assertThatThrownBy(() -> open.createStatement().execute("SELECT 1")).isInstanceOf(SQLException.class);
        open.close();

        call("PUT", "/client/v11/databases/" + db.addon().id() + "/reset").as(owner).json("{}").send().expect(200);
        try (Connection c = connect(db.url()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'doomed'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
            s.execute("CREATE TABLE fresh (x int)"); // and it is writable by its role as before
        }
    }

    @Test
    void backupCaptureThenDropThenRestoreBringsTheRowsBackAndTheArchiveDownloads() throws Exception {
        User owner = newUser();
        Db db = newDatabase(owner);
        try (Connection c = connect(db.url()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (id int PRIMARY KEY, body text)");
            s.execute("INSERT INTO notes SELECT i, 'note ' || i FROM generate_series(1, 500) i");
        }
        JsonNode backup = call("POST", "/client/v11/databases/" + db.addon().id() + "/backups").as(owner).send()
                .expect(201).json();
        assertThat(backup.path("from_type").asText()).isEqualTo("pg_dump");
        assertThat(backup.path("to_type").asText()).isEqualTo("gof3r");
        JsonNode done = waitFinished(owner, db.app(), backup.path("uuid").asText());
        assertThat(done.path("succeeded").asBoolean()).as(done.toString()).isTrue();
        assertThat(done.path("processed_bytes").asLong()).isPositive();

        JsonNode list = call("GET", "/client/v11/apps/" + db.app() + "/transfers").as(owner).send().expect(200).json();
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("num").asLong()).isEqualTo(1);
        String toUrl = list.get(0).path("to_url").asText();

        // pg:backups:download: a presigned URL of the archive, a real custom-format dump
        JsonNode pub = call("POST", "/client/v11/apps/" + db.app() + "/transfers/1/actions/public-url").as(owner)
                .send().expect(200).json();
        // the test store is plain HTTP, so the archive comes through the API with a one-off token, no Authorization
        String archiveUrl = pub.path("url").asText();
        assertThat(archiveUrl).startsWith("https://127.0.0.1:5443/pg-backup-archives/");
        HttpResponse<byte[]> archive = fetch(archiveUrl);
        assertThat(archive.statusCode()).isEqualTo(200);
        assertThat(new String(archive.body(), 0, 5)).isEqualTo("PGDMP");
        // a wrong token, or another transfer's id with this token, opens nothing
        String token = archiveUrl.substring(archiveUrl.lastIndexOf('/') + 1);
        assertThat(fetch(archiveUrl.substring(0, archiveUrl.lastIndexOf('/') + 1) + "0".repeat(64)).statusCode()).isEqualTo(404);
        assertThat(fetch("https://127.0.0.1:5443/pg-backup-archives/" + UUID.randomUUID() + "/" + token).statusCode()).isEqualTo(404);

        try (Connection c = connect(db.url()); Statement s = c.createStatement()) {
            s.execute("DROP TABLE notes");
        }
        JsonNode restore = call("POST", "/client/v11/databases/" + db.addon().id() + "/restores").as(owner)
                .json("{\"backup_url\":\"" + toUrl + "\"}").send().expect(201).json();
        assertThat(restore.path("to_type").asText()).isEqualTo("pg_restore");
        JsonNode restored = waitFinished(owner, db.app(), restore.path("uuid").asText());
        assertThat(restored.path("succeeded").asBoolean()).as(restored.toString()).isTrue();
        assertThat(countNotes(db.url())).isEqualTo(500);
    }

    /**
     * The attack: another account knows (or guesses) a victim's backup id and database id, and tries to restore
     * the victim's backup into its own database, to list or download the victim's backups, and to back up the
     * victim's database. Every door answers not_found.
     */
    @Test
    void anotherAccountCannotReadRestoreOrCaptureSomeoneElsesBackups() throws Exception {
        User victim = newUser();
        Db victimDb = newDatabase(victim);
        try (Connection c = connect(victimDb.url()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE secrets (v text)");
            s.execute("INSERT INTO secrets VALUES ('the victim''s data')");
        }
        JsonNode backup = call("POST", "/client/v11/databases/" + victimDb.addon().id() + "/backups").as(victim)
                .send().expect(201).json();
        assertThat(waitFinished(victim, victimDb.app(), backup.path("uuid").asText()).path("succeeded").asBoolean()).isTrue();

        User attacker = newUser();
        Db attackerDb = newDatabase(attacker);
        call("POST", "/client/v11/databases/" + attackerDb.addon().id() + "/restores").as(attacker)
                .json("{\"backup_url\":\"slipway-backup:" + backup.path("uuid").asText() + "\"}").send()
                .expectError(404, "not_found");
        call("GET", "/client/v11/apps/" + victimDb.app() + "/transfers").as(attacker).send().expectError(404, "not_found");
        call("POST", "/client/v11/apps/" + victimDb.app() + "/transfers/1/actions/public-url").as(attacker).send()
                .expectError(404, "not_found");
        call("POST", "/client/v11/databases/" + victimDb.addon().id() + "/backups").as(attacker).send()
                .expectError(404, "not_found");
        call("POST", "/client/v11/databases/" + victimDb.addon().id() + "/restores").as(attacker)
                .json("{\"backup_url\":\"slipway-backup:" + backup.path("uuid").asText() + "\"}").send()
                .expectError(404, "not_found");
        assertThat(call("GET", "/client/v11/apps/" + attackerDb.app() + "/transfers").as(attacker).send().expect(200)
                .json()).isEmpty();
    }

    /** A user who can use both apps may restore one app's backup into the other app's database (APP::b001). */
    @Test
    void aBackupOfAnotherAppTheCallerCanUseRestoresIntoThisOne() throws Exception {
        User owner = newUser();
        Db source = newDatabase(owner);
        Db target = newDatabase(owner);
        try (Connection c = connect(source.url()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (id int PRIMARY KEY, body text)");
            s.execute("INSERT INTO notes SELECT i, 'n' FROM generate_series(1, 42) i");
        }
        JsonNode backup = call("POST", "/client/v11/databases/" + source.addon().id() + "/backups").as(owner).send()
                .expect(201).json();
        waitFinished(owner, source.app(), backup.path("uuid").asText());
        String toUrl = call("GET", "/client/v11/apps/" + source.app() + "/transfers").as(owner).send().json()
                .get(0).path("to_url").asText();
        JsonNode restore = call("POST", "/client/v11/databases/" + target.addon().id() + "/restores").as(owner)
                .json("{\"backup_url\":\"" + toUrl + "\"}").send().expect(201).json();
        assertThat(waitFinished(owner, target.app(), restore.path("uuid").asText()).path("succeeded").asBoolean()).isTrue();
        assertThat(countNotes(target.url())).isEqualTo(42);
    }

    /**
     * A restore from a URL is fetched on the user's behalf: a URL of the platform's own network (here the object
     * store on loopback, which holds every app's backups) is refused; an allowed outside host works.
     */
    @Test
    void restoreFromAUrlGoesThroughTheOutboundPolicy() throws Exception {
        User owner = newUser();
        Db db = newDatabase(owner);
        try (Connection c = connect(db.url()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (id int PRIMARY KEY, body text)");
            s.execute("INSERT INTO notes SELECT i, 'n' FROM generate_series(1, 7) i");
        }
        JsonNode backup = call("POST", "/client/v11/databases/" + db.addon().id() + "/backups").as(owner).send()
                .expect(201).json();
        waitFinished(owner, db.app(), backup.path("uuid").asText());
        String archiveUrl = call("POST", "/client/v11/apps/" + db.app() + "/transfers/1/actions/public-url").as(owner)
                .send().expect(200).json().path("url").asText();
        String presigned = storage.presignGet("pg-backups/" + db.addon().id() + "/" + backup.path("uuid").asText() + ".dump");
        for (String internal : new String[] {archiveUrl, presigned}) {
            assertThat(URI.create(internal).getHost()).isEqualTo("127.0.0.1");
            call("POST", "/client/v11/databases/" + db.addon().id() + "/restores").as(owner)
                    .json("{\"backup_url\":\"" + internal + "\"}").send().expectError(422, "invalid_params");
        }

        byte[] dump = fetch(archiveUrl).body();
        HttpServer outside = HttpServer.create(new InetSocketAddress(ALLOWED_COLLECTOR_HOST, 0), 0);
        outside.createContext("/latest.dump", exchange -> {
            exchange.sendResponseHeaders(200, dump.length);
            exchange.getResponseBody().write(dump);
            exchange.close();
        });
        outside.start();
        try {
            try (Connection c = connect(db.url()); Statement s = c.createStatement()) {
                s.execute("DROP TABLE notes");
            }
            String url = "http://" + ALLOWED_COLLECTOR_HOST + ":" + outside.getAddress().getPort() + "/latest.dump";
            JsonNode restore = call("POST", "/client/v11/databases/" + db.addon().id() + "/restores").as(owner)
                    .json("{\"backup_url\":\"" + url + "\"}").send().expect(201).json();
            assertThat(restore.path("from_name").asText()).isEqualTo(ALLOWED_COLLECTOR_HOST);
            JsonNode done = waitFinished(owner, db.app(), restore.path("uuid").asText());
            assertThat(done.path("succeeded").asBoolean()).as(done.toString()).isTrue();
            assertThat(countNotes(db.url())).isEqualTo(7);
        } finally {
            outside.stop(0);
        }
    }

    @Test
    void aDailyScheduleIsStoredListedRunAtItsHourAndRemoved() throws Exception {
        User owner = newUser();
        Db db = newDatabase(owner);
        String base = "/client/v11/databases/" + db.addon().id() + "/transfer-schedules";
        call("POST", base).as(owner).json("{\"hour\":\"3\",\"timezone\":\"Europe/Paris\",\"schedule_name\":\"DATABASE_URL\"}")
                .send().expect(201);
        call("POST", base).as(owner).json("{\"hour\":\"25\",\"timezone\":\"UTC\"}").send().expectError(422, "invalid_params");
        call("POST", base).as(owner).json("{\"hour\":\"1\",\"timezone\":\"Mars/Olympus\"}").send().expectError(422, "invalid_params");
        JsonNode list = call("GET", base).as(owner).send().expect(200).json();
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("name").asText()).isEqualTo("DATABASE_URL");
        assertThat(list.get(0).path("hour").asInt()).isEqualTo(3);
        assertThat(list.get(0).path("timezone").asText()).isEqualTo("Europe/Paris");
        call("GET", base).as(newUser()).send().expectError(404, "not_found");

        // 03:10 in Paris on a winter day is 02:10 UTC: the backup starts, once that day
        Instant at = java.time.LocalDateTime.of(2026, 12, 4, 2, 10).toInstant(ZoneOffset.UTC);
        backupSchedules.runDue(at);
        backupSchedules.runDue(at.plusSeconds(600));
        JsonNode transfers = call("GET", "/client/v11/apps/" + db.app() + "/transfers").as(owner).send().json();
        assertThat(transfers).hasSize(1);
        assertThat(transfers.get(0).path("schedule").isNull()).isFalse();
        waitFinished(owner, db.app(), transfers.get(0).path("uuid").asText());

        call("DELETE", base + "/" + list.get(0).path("uuid").asText()).as(owner).send().expect(200);
        assertThat(call("GET", base).as(owner).send().json()).isEmpty();
    }

    /** A transfer whose api-server stopped half-way ends as failed instead of running for ever. */
    @Test
    void aTransferLeftRunningByAStoppedReplicaIsMarkedFailed() throws Exception {
        User owner = newUser();
        Db db = newDatabase(owner);
        PgTransfer lost = newTransfers.backup(db.addon(), false); // recorded, never submitted: as if the replica died
        assertThat(lostTransfers.failStale(Instant.now())).isZero(); // a fresh one is left alone
        assertThat(lostTransfers.failStale(Instant.now().plus(java.time.Duration.ofHours(9)))).isPositive();
        JsonNode t = call("GET", "/client/v11/apps/" + db.app() + "/transfers/" + lost.id() + "?verbose=true").as(owner)
                .send().expect(200).json();
        assertThat(t.path("succeeded").asBoolean()).isFalse();
        assertThat(t.path("finished_at").isNull()).isFalse();
        assertThat(t.path("logs").toString()).contains("stopped");
    }

    private JsonNode waitFinished(User user, String app, String uuid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            JsonNode t = call("GET", "/client/v11/apps/" + app + "/transfers/" + uuid + "?verbose=true").as(user).send()
                    .expect(200).json();
            if (!t.path("finished_at").isNull() && !t.path("finished_at").isMissingNode()) return t;
            if (System.nanoTime() > deadline) throw new AssertionError("transfer did not finish: " + t);
            Thread.sleep(100); // polling a condition, as the CLI does
        }
    }

    /** An archive URL of the API ({@code https://127.0.0.1:5443/...} in tests) fetched on the test's listener. */
    private HttpResponse<byte[]> fetch(String apiUrl) throws Exception {
        URI u = URI.create(apiUrl);
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + u.getRawPath())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static int countNotes(String url) throws SQLException {
        try (Connection c = connect(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM notes")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
