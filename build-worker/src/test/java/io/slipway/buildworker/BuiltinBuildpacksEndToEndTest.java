package io.slipway.buildworker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slipway.buildworker.support.FakeApiServer;
import io.slipway.buildworker.support.FakeApiServer.QueuedBuild;
import io.slipway.buildworker.support.RuncAvailable;
import io.slipway.buildworker.support.TestApps;
import io.slipway.buildworker.support.WorkerFixture;
import io.slipway.shared.testing.SampleApps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each built-in buildpack end to end: a real worker claims from a stand-in api-server, builds in runc, uploads the
 * slug and posts the result. Asserts the posted result and the slug's contents as GNU tar reads them.
 */
class BuiltinBuildpacksEndToEndTest {
    @TempDir static Path shared;
    @TempDir Path app;
    private static WorkerFixture fixture;

    @BeforeAll
    static void startWorker() throws IOException {
        RuncAvailable.assume();
        fixture = new WorkerFixture(shared, Map.of());
    }

    @AfterAll
    static void stopWorker() {
        if (fixture != null) fixture.close();
    }

    private static Map<String, Object> build(QueuedBuild queued, String name) throws InterruptedException {
        long start = System.nanoTime();
        Map<String, Object> result = fixture.api.awaitResult(queued.buildId(), Duration.ofMinutes(4));
        System.out.printf("end-to-end %s: %.1f s%n", name, (System.nanoTime() - start) / 1e9);
        assertEquals("succeeded", result.get("status"), () -> result + "\n" + fixture.api.output(queued.buildId()));
        String output = fixture.api.awaitOutput(queued.buildId(), "       Released v", Duration.ofSeconds(10));
        System.out.println(output);
        return result;
    }

    /** The built-ins use the stack's runtimes; the default stack is this host. */
    private static boolean onPath(String command) {
        return Files.isExecutable(Path.of("/usr/bin", command)) || Files.isExecutable(Path.of("/usr/local/bin", command))
                || Files.isExecutable(Path.of("/bin", command));
    }

    private static Map<?, ?> slug(Map<String, Object> result) {
        return (Map<?, ?>) result.get("slug");
    }

    /** The slug in storage: its size and checksum are what the worker reported; answers its entries. */
    private static List<String> slugEntries(QueuedBuild queued, Map<String, Object> result) throws IOException {
        Path stored = fixture.api.blobFile(queued.slugKey());
        assertTrue(Files.isRegularFile(stored), "slug uploaded");
        assertEquals(((Number) slug(result).get("size")).longValue(), Files.size(stored));
        assertEquals(FakeApiServer.sha256(Files.readAllBytes(stored)), slug(result).get("checksum"));
        List<String> entries = TestApps.list(stored);
        assertTrue(entries.stream().allMatch(e -> e.startsWith("./app/")), "Heroku's slug layout: " + entries);
        assertTrue(entries.stream().noneMatch(e -> e.startsWith("./app/.git/") || e.equals("./app/.git")),
                "no .git in the slug: " + entries);
        return entries;
    }

    @Test
    void procfileOnlyApp() throws Exception {
        TestApps.write(app, Map.of(
                "Procfile", "web: python3 -m http.server $PORT\n# a comment\nworker: sleep infinity\n",
                "README.md", "# demo\n",
                "bin/run.sh", "#!/bin/sh\necho hi\n",
                ".git/HEAD", "ref: refs/heads/main\n",
                ".git/config", "[core]\n",
                ".slugignore", "# not in the slug\nsecret.txt\n/docs/\n*.psd\n",
                "secret.txt", "do not ship\n",
                "docs/notes.md", "internal\n",
                "art/logo.psd", "big\n"));
        QueuedBuild queued = fixture.api.enqueue("procfile-app", TestApps.tgz(app), List.of(), Map.of(), Map.of());
        Map<String, Object> result = build(queued, "procfile-only app");

        assertEquals(Map.of("web", "python3 -m http.server $PORT", "worker", "sleep infinity"),
                slug(result).get("process_types"));
        assertEquals("Procfile", slug(result).get("buildpack_provided_description"));
        assertNull(slug(result).get("commit"), "a plain tarball names no commit");
        List<String> entries = slugEntries(queued, result);
        assertTrue(entries.containsAll(List.of("./app/Procfile", "./app/README.md", "./app/bin/run.sh")), entries.toString());
        assertTrue(entries.stream().noneMatch(e -> e.contains("secret.txt") || e.contains("docs/") || e.endsWith(".psd")),
                ".slugignore matches are not shipped: " + entries);

        List<String> lines = fixture.api.outputLines(queued.buildId());
        assertEquals("-----> Building on the heroku-24 stack", lines.get(0));
        assertTrue(lines.containsAll(List.of(
                "-----> Determining which buildpack to use for this app",
                "-----> Procfile app detected",
                "-----> Discovering process types",
                "       Procfile declares types -> web, worker",
                "-----> Compressing...",
                "-----> Launching...",
                "       Released v5")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches(" {7}Done: [0-9.]+[KM]")), lines.toString());
    }

    @Test
    void staticSite() throws Exception {
        TestApps.write(app, Map.of("index.html", "<h1>Hello</h1>\n", "css/site.css", "h1 { color: red }\n"));
        TestApps.GitSource source = TestApps.gitArchive(app);
        QueuedBuild queued = fixture.api.enqueue("static-app", source.tgz(), List.of(), Map.of(), Map.of());
        Map<String, Object> result = build(queued, "static site");

        assertEquals(Map.of("web", "python3 -m http.server $PORT --bind 0.0.0.0"), slug(result).get("process_types"));
        assertEquals("Static HTML", slug(result).get("buildpack_provided_description"));
        assertEquals(source.commit(), slug(result).get("commit"), "git archive's commit is reported");
        assertTrue(slugEntries(queued, result).containsAll(List.of("./app/index.html", "./app/css/site.css")));
        assertTrue(fixture.api.output(queued.buildId()).contains("       Default types for buildpack -> web\n"));
    }

    @Test
    void pythonAppWithoutDependencies() throws Exception {
        TestApps.write(app, Map.of("requirements.txt", "# nothing to install\n",
                "app.py", "import os\nprint('listening on', os.environ.get('PORT'))\n"));
        QueuedBuild queued = fixture.api.enqueue("python-app", TestApps.gitArchive(app).tgz(), List.of(),
                Map.of("GREETING", "hello"), Map.of());
        Map<String, Object> result = build(queued, "python app without dependencies");

        assertEquals(Map.of("web", "python3 app.py"), slug(result).get("process_types"));
        assertEquals("Python", slug(result).get("buildpack_provided_description"));
        List<String> entries = slugEntries(queued, result);
        assertTrue(entries.containsAll(List.of("./app/app.py", "./app/.profile.d/python.sh")), entries.toString());
        String output = fixture.api.output(queued.buildId());
        assertTrue(output.contains("-----> Python app detected\n"), output);
        assertTrue(output.contains("-----> No packages to install\n"), output);
    }

    @Test
    void nodeAppWithOneDependencyFromTheNpmRegistry() throws Exception {
        assumeTrue(onPath("node") && onPath("npm"), "the stack (this host) has no Node.js");
        TestApps.write(app, Map.of(
                "package.json", """
                        {"name": "demo", "version": "1.0.0", "private": true,
                         "scripts": {"start": "node index.js"}, "dependencies": {"ms": "2.1.3"}}
                        """,
                "index.js", "console.log(require('ms')(60000));\n"));
        QueuedBuild queued = fixture.api.enqueue("node-app", TestApps.gitArchive(app).tgz(), List.of(), Map.of(),
                Map.of());
        Map<String, Object> result = build(queued, "Node.js app with one npm dependency");

        assertEquals(Map.of("web", "npm start"), slug(result).get("process_types"));
        assertEquals("Node.js", slug(result).get("buildpack_provided_description"));
        Path stored = fixture.api.blobFile(queued.slugKey());
        List<String> entries = slugEntries(queued, result);
        assertTrue(entries.containsAll(List.of("./app/index.js", "./app/node_modules/ms/package.json",
                "./app/.profile.d/nodejs.sh")), entries.toString());
        assertTrue(TestApps.read(stored, "./app/node_modules/ms/package.json").contains("\"version\": \"2.1.3\""));
        assertTrue(fixture.api.output(queued.buildId()).contains("-----> Node.js app detected\n"));
        // npm's cache went to CACHE_DIR and is kept for the app's next build
        Path cache = fixture.api.blobFile(queued.cacheKey());
        assertTrue(Files.isRegularFile(cache), "cache uploaded");
        assertTrue(TestApps.list(cache).stream().anyMatch(e -> e.startsWith("./npm/")), "npm cache in CACHE_DIR");
    }

    @Test
    void mavenApp() throws Exception {
        assumeTrue(onPath("mvn") && onPath("java"), "the stack (this host) has no Maven: apt-get install maven");
        TestApps.write(app, SampleApps.maven(fixture.api.url()));
        QueuedBuild queued = fixture.api.enqueue("maven-app", TestApps.gitArchive(app).tgz(), List.of(), Map.of(),
                Map.of());
        Map<String, Object> result = build(queued, "Maven app");

        assertEquals(Map.of("web", "java -Dserver.port=$PORT $JAVA_OPTS -jar target/demo-1.0.jar"),
                slug(result).get("process_types"));
        assertEquals("Java", slug(result).get("buildpack_provided_description"));
        List<String> entries = slugEntries(queued, result);
        assertTrue(entries.contains("./app/target/demo-1.0.jar"), entries.toString());
        assertFalse(entries.stream().anyMatch(e -> e.contains(".m2/")), "the Maven repository stays in the cache");
        assertTrue(fixture.api.output(queued.buildId()).contains("-----> Java app detected\n"));
    }
}
