package io.slipway.buildworker.procfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleaseYamlTest {
    @Test
    void readsDefaultProcessTypesFromBinRelease() {
        assertEquals(Map.of("web", "npm start"), ReleaseYaml.defaultProcessTypes("""
                ---
                addons: []
                default_process_types:
                  web: npm start
                """));
        Map<String, String> types = ReleaseYaml.defaultProcessTypes("""
                config_vars:
                  LANG: en_US.UTF-8
                default_process_types:   # the types
                  web: "java -Dserver.port=$PORT -jar target/app.jar"
                  worker: 'echo ''a: b'''

                  console: "bin/console # not a comment"
                  nested:
                    deeper: ignored
                  listed: [ignored]
                  port: 5000
                other: x
                """);
        assertEquals(Map.of("web", "java -Dserver.port=$PORT -jar target/app.jar", "worker", "echo 'a: b'",
                "console", "bin/console # not a comment", "port", "5000"), types);
        assertEquals(List.of("web", "worker", "console", "port"), List.copyOf(types.keySet()));
        assertEquals(Map.of(), ReleaseYaml.defaultProcessTypes("---\ndefault_process_types: {}\n"));
        assertEquals(Map.of("web", "python3 app.py", "worker", "x"),
                ReleaseYaml.defaultProcessTypes("default_process_types: {web: python3 app.py, worker: \"x\"}\n"));
        assertEquals(Map.of(), ReleaseYaml.defaultProcessTypes("default_process_types: ~\n"));
        assertEquals(Map.of(), ReleaseYaml.defaultProcessTypes("addons:\n  default_process_types:\n    web: x\n"));
        assertEquals(Map.of(), ReleaseYaml.defaultProcessTypes("- a list\n- not a mapping\n"));
        assertEquals(Map.of(), ReleaseYaml.defaultProcessTypes(""));
    }

    @Test
    void refusesAnAliasBombBeforeExpandingIt() {
        String bomb = """
                a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
                g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
                h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
                i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
                default_process_types:
                  web: npm start
                """;
        var e = assertThrows(ReleaseYaml.InvalidReleaseYaml.class, () -> ReleaseYaml.defaultProcessTypes(bomb));
        assertTrue(e.getMessage().startsWith("invalid YAML: ") && e.getMessage().contains("aliases"), e.getMessage());
    }

    @Test
    void refusesJavaTagsSoNoClassIsEverInstantiated() {
        String gadget = """
                default_process_types:
                  web: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://127.0.0.1:1/"]]]]
                """;
        var e = assertThrows(ReleaseYaml.InvalidReleaseYaml.class, () -> ReleaseYaml.defaultProcessTypes(gadget));
        assertTrue(e.getMessage().startsWith("invalid YAML: ") && e.getMessage().contains("javax.script"),
                e.getMessage());
        assertThrows(ReleaseYaml.InvalidReleaseYaml.class,
                () -> ReleaseYaml.defaultProcessTypes("default_process_types: !!java.lang.ProcessBuilder [[id]]\n"));
    }

    @Test
    void refusesMalformedAndOversizedDocuments() {
        assertThrows(ReleaseYaml.InvalidReleaseYaml.class,
                () -> ReleaseYaml.defaultProcessTypes("default_process_types:\n  web: \"unterminated\n"));
        assertThrows(ReleaseYaml.InvalidReleaseYaml.class,
                () -> ReleaseYaml.defaultProcessTypes("x: " + "[".repeat(100) + "]".repeat(100) + "\n"));
        assertThrows(ReleaseYaml.InvalidReleaseYaml.class,
                () -> ReleaseYaml.defaultProcessTypes("x: \"" + "y".repeat(300_000) + "\"\n"));
    }
}
