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
    void copyFromAnImageLoadsItButNotFromAStage() throws Exception {
        String dockerfile = """
                FROM heroku-24 AS build
                FROM heroku-24
                COPY --from=build /a /a
                COPY --from=0 /b /b
                COPY --from=tools:v1 /usr/bin/tool /usr/bin/tool
                """;
        assertEquals(List.of("heroku-24:latest", "tools:v1"), bases(dockerfile, Map.of()));
        assertThrows(BaseImageName.UnsupportedNameException.class,
                () -> FromLines.baseImages("FROM a\nCOPY --from=docker.io/x/y /a /a\n", Map.of()));
    }

    @Test
    void addFromAUrlIsRefused() {
        for (String add : List.of("ADD http://169.254.169.254/latest/meta-data /x",
                "ADD --chown=1000 https://example.com/a.tgz /x", "ADD [\"http://10.0.0.5:5003/internal\", \"/x\"]",
                "add git@github.com:a/b.git /src")) {
            var e = assertThrows(BaseImageName.UnsupportedNameException.class,
                    () -> FromLines.baseImages("FROM heroku-24\n" + add + "\n", Map.of()), add);
            assertTrue(e.getMessage().startsWith("ADD from a URL is not supported"), e.getMessage());
        }
    }

    @Test
    void runOptionsAreRefused() {
        for (String run : List.of("RUN --mount=type=bind,source=../../../etc,target=/e cat /e/shadow",
                "RUN --network=host wget http://10.0.0.5:5003/", "run --security=insecure id")) {
            var e = assertThrows(BaseImageName.UnsupportedNameException.class,
                    () -> FromLines.baseImages("FROM heroku-24\n" + run + "\n", Map.of()), run);
            assertTrue(e.getMessage().startsWith("RUN options (--"), e.getMessage());
            assertTrue(!e.getMessage().contains("shadow") && !e.getMessage().contains("10.0.0.5"), e.getMessage());
        }
    }

    @Test
    void tooManyBaseImagesAreRefused() {
        StringBuilder dockerfile = new StringBuilder();
        for (int i = 0; i < 17; i++) dockerfile.append("FROM image").append(i).append('\n');
        var e = assertThrows(BaseImageName.UnsupportedNameException.class,
                () -> FromLines.baseImages(dockerfile.toString(), Map.of()));
        assertEquals("The Dockerfile uses 17 base images; at most 16 are allowed.", e.getMessage());
    }

    @Test
    void aHugeDockerfileIsReadInOnePass() throws Exception {
        String dockerfile = "FROM heroku-24\n" + "RUN true\n".repeat(100_000);
        assertEquals(List.of("heroku-24:latest"), bases(dockerfile, Map.of()));
    }
}
