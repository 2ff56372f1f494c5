package io.slipway.buildworker.procfile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcfileTest {
    @Test
    void parsesTypesAndCommandsLikeHeroku() {
        Map<String, String> types = Procfile.parse("""
                web: bundle exec puma -p $PORT
                # worker: commented out
                worker:node worker.js --queue=a:b
                release: ./release.sh\r
                not a process line
                bad type!: x
                web: npm start
                """);
        assertEquals(Map.of("web", "npm start", "worker", "node worker.js --queue=a:b", "release", "./release.sh"),
                types);
        assertEquals(List.of("web", "worker", "release"), List.copyOf(types.keySet()));
    }

    @Test
    void readsDefaultProcessTypesFromBinRelease() {
        assertEquals(Map.of("web", "npm start"), ReleaseYaml.defaultProcessTypes("""
                ---
                addons: []
                default_process_types:
                  web: npm start
                """));
        assertEquals(Map.of("web", "java -Dserver.port=$PORT -jar target/app.jar", "worker", "echo 'a: b'",
                "console", "bin/console # not a comment"), ReleaseYaml.defaultProcessTypes("""
                config_vars:
                  LANG: en_US.UTF-8
                default_process_types:   # the types
                  web: "java -Dserver.port=$PORT -jar target/app.jar"
                  worker: 'echo ''a: b'''

                  console: "bin/console # not a comment"
                    nested: ignored
                other: x
                """));
        assertEquals(Map.of(), ReleaseYaml.defaultProcessTypes("---\ndefault_process_types: {}\n"));
        assertEquals(Map.of("web", "python3 app.py", "worker", "x"),
                ReleaseYaml.defaultProcessTypes("default_process_types: {web: python3 app.py, worker: \"x\"}\n"));
        assertEquals(Map.of(), ReleaseYaml.defaultProcessTypes("default_process_types: ~\n"));
        assertEquals(Map.of(), ReleaseYaml.defaultProcessTypes("addons:\n  default_process_types:\n    web: x\n"));
        assertEquals(Map.of(), ReleaseYaml.defaultProcessTypes(""));
    }
}
