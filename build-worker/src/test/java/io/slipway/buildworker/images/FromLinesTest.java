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
        return FromLines.baseImages(dockerfile, args).stream().map(ImageReference::toString).toList();
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
        assertEquals(List.of("heroku-24:latest", "localhost/heroku-22:v2"), bases(dockerfile, Map.of()));
        assertEquals(List.of("heroku-25:latest", "localhost/heroku-22:v3"), bases(dockerfile, Map.of("BASE", "heroku-25", "TAG", "v3")));
    }

    @Test
    void aStageNamedLikeItsOwnImageIsStillAnImage() throws Exception {
        assertEquals(List.of("app:latest"), bases("FROM app AS app\nFROM app\n", Map.of()));
    }

    @Test
    void invalidNamesDotsAndOtherDigestsAreRefused() {
        for (String from : List.of("../etc/passwd", "a..b", "UPPER", "x:" + "t".repeat(200), "$UNSET",
                "node@sha512:" + "a".repeat(128), "node@sha256:abc", "-x", "host:99999999/x", "a/", "/a",
                "a//b", "x".repeat(256), "evil.example:5000/x:t@g")) {
            var e = assertThrows(BaseImageName.UnsupportedNameException.class,
                    () -> FromLines.baseImages("FROM " + from + "\n", Map.of()), from);
            assertTrue(e.getMessage().startsWith("FROM "), e.getMessage());
        }
    }

    @Test
    void registryHostsPathsAndDigestsAreReadAsDockerReadsThem() throws Exception {
        String digest = "sha256:" + "a".repeat(64);
        List<ImageReference> refs = FromLines.baseImages("FROM python:3.12\nFROM docker.io/library/node:20\n"
                + "FROM bitnami/redis\nFROM evil.example:5000/x\nFROM node@" + digest + "\nFROM localhost/heroku-24\n"
                + "FROM 127.0.0.1:5000/team/app:v1\n", Map.of());
        assertEquals(List.of(new ImageReference(null, "python", "3.12", null),
                new ImageReference("docker.io", "library/node", "20", null),
                new ImageReference(null, "bitnami/redis", "latest", null),
                new ImageReference("evil.example:5000", "x", "latest", null),
                new ImageReference(null, "node", null, digest),
                new ImageReference("localhost", "heroku-24", "latest", null),
                new ImageReference("127.0.0.1:5000", "team/app", "v1", null)), refs);
        // where the mirror has them, and the names bud --pull-never looks them up under
        assertEquals("docker://m:5000/library/python:3.12", refs.get(0).onMirror("m:5000"));
        assertEquals("localhost/python:3.12", refs.get(0).localName());
        assertEquals("docker://m:5000/library/node:20", refs.get(1).onMirror("m:5000"));
        assertEquals("docker.io/library/node:20", refs.get(1).localName());
        assertEquals("docker://m:5000/bitnami/redis:latest", refs.get(2).onMirror("m:5000"));
        assertEquals("localhost/bitnami/redis:latest", refs.get(2).localName());
        assertEquals("docker://m:5000/library/node@" + digest, refs.get(4).onMirror("m:5000"));
        assertEquals("localhost/node:sha256-" + "a".repeat(64), refs.get(4).localName());
        assertEquals("127.0.0.1:5000/team/app:v1", refs.get(6).localName());
        assertEquals(new BaseImageName("heroku-24", "latest"), refs.get(5).platformName());
        assertEquals(new BaseImageName("python", "3.12"), refs.get(0).platformName());
        assertEquals(null, refs.get(2).platformName());
        assertEquals(null, refs.get(4).platformName());
        assertTrue(refs.get(3).domain() != null && !refs.get(3).isDockerHub());
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
        assertEquals(List.of("a:latest", "docker.io/x/y:latest"),
                bases("FROM a\nCOPY --from=docker.io/x/y /a /a\n", Map.of()));
        assertThrows(BaseImageName.UnsupportedNameException.class,
                () -> FromLines.baseImages("FROM a\nCOPY --from=../x /a /a\n", Map.of()));
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
