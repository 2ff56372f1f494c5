package io.slipway.buildworker.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The base images a Dockerfile needs, and the FROM names a tenant may not use. */
class FromLinesTest {
    private static List<String> bases(String dockerfile, Map<String, String> args) throws Exception {
        return FromLines.baseImages(dockerfile, args).stream().map(BaseImageName::toString).toList();
    }

    @Test
    void stagesScratchPlatformsAndArgDefaults() throws Exception {
        String dockerfile = """
                # syntax=docker/dockerfile:1
                ARG BASE=heroku-24
                ARG TAG
                FROM --platform=$BUILDPLATFORM ${BASE} AS build
                RUN echo a \\
                  && echo b
                FROM build AS test
                FROM scratch
                FROM localhost/heroku-22:${TAG:-v2}
                COPY --from=build /x /x
                from Build
                """;
        assertEquals(List.of("heroku-24:latest", "heroku-22:v2"), bases(dockerfile, Map.of()));
        assertEquals(List.of("heroku-25:latest", "heroku-22:v3"), bases(dockerfile, Map.of("BASE", "heroku-25", "TAG", "v3")));
    }

    @Test
    void aStageNamedLikeItsOwnImageIsStillAnImage() throws Exception {
        assertEquals(List.of("app:latest"), bases("FROM app AS app\nFROM app\n", Map.of()));
    }

    @Test
    void registryHostsPathsDigestsAndDotsAreRefused() {
        for (String from : List.of("docker.io/library/node:20", "library/node", "ghcr.io/x/y:1", "../etc/passwd",
                "node@sha256:" + "a".repeat(64), "a..b", "UPPER", "x:" + "t".repeat(200), "$UNSET")) {
            var e = assertThrows(BaseImageName.UnsupportedNameException.class,
                    () -> FromLines.baseImages("FROM " + from + "\n", Map.of()), from);
            assertTrue(e.getMessage().startsWith("FROM "), e.getMessage());
        }
    }

    @Test
    void aHugeDockerfileIsReadInOnePass() throws Exception {
        String dockerfile = "FROM heroku-24\n" + "RUN true\n".repeat(100_000);
        assertEquals(List.of("heroku-24:latest"), bases(dockerfile, Map.of()));
    }
}
