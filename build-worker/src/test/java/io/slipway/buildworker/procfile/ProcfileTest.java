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
}
