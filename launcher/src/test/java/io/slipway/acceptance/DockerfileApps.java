package io.slipway.acceptance;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dockerfile apps for the image acceptance tests, built on the default base image (Debian 12 minbase with bash,
 * socat and busybox: no Node or Python, so the web server is busybox's httpd serving a static page).
 */
final class DockerfileApps {
    private DockerfileApps() {}

    /**
     * Multi-stage: the build stage writes a file the final stage copies; the final stage runs as uid 1000 and its
     * {@code CMD} serves {@code /app/www} on {@code $PORT}. The page holds {@code marker} (app code: the last layer).
     */
    static Map<String, String> multiStage(String marker) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("Dockerfile", """
                FROM heroku-24 AS build
                RUN mkdir -p /out && echo "made-in-build-stage" > /out/stage.txt
                FROM heroku-24
                RUN mkdir -p /app/www && echo "base layer of the final stage" > /app/base.txt
                COPY --from=build /out/stage.txt /app/www/stage.txt
                COPY www/ /app/www/
                WORKDIR /app
                USER 1000
                CMD ["/bin/sh", "-c", "exec busybox httpd -f -v -p $PORT -h /app/www"]
                """);
        files.put("www/index.html", page(marker));
        return files;
    }

    /**
     * {@code heroku.yml} naming two Dockerfiles, both given the build arg: {@code web} runs the root Dockerfile's
     * image (its command from {@code run:}), {@code worker} its own {@code worker/Dockerfile}'s image (its
     * {@code CMD}, another user, another working directory and a file only that image has), and the release phase
     * ({@code release:} with {@code image: worker}) runs in the worker image; it fails while the source holds
     * {@code fail-release}.
     */
    static Map<String, String> herokuYml(String greeting) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("heroku.yml", """
                build:
                  docker:
                    web: Dockerfile
                    worker: worker/Dockerfile
                  config:
                    GREETING: %s
                release:
                  image: worker
                  command:
                    - /bin/sh
                    - -c
                    - echo "release-phase-ran in $(pwd) as $(id -u) greeting=$(cat greeting.txt)"; test ! -e fail-release
                run:
                  web: busybox httpd -f -p $PORT -h /app/www
                """.formatted(greeting));
        files.put("Dockerfile", """
                FROM heroku-24
                ARG GREETING=unset
                RUN mkdir -p /app/www && echo "greeting=$GREETING" > /app/www/index.html
                USER 1000
                WORKDIR /app
                """);
        files.put("worker/Dockerfile", """
                FROM heroku-24
                ARG GREETING=unset
                COPY worker/ /work/
                RUN echo "$GREETING" > /work/greeting.txt
                USER 1001
                WORKDIR /work
                CMD ["/bin/sh", "-c", "while true; do echo \\"worker-alive greeting=$(cat greeting.txt) in $(pwd) as $(id -u)\\"; sleep 2; done"]
                """);
        files.put("worker/README", "the worker image's own files\n");
        return files;
    }

    /** A Dockerfile whose {@code RUN} fails. */
    static Map<String, String> failing() {
        return Map.of("Dockerfile", """
                FROM heroku-24
                RUN echo "about to fail on purpose" && exit 3
                USER 1000
                CMD ["/bin/sh", "-c", "exec busybox httpd -f -p $PORT -h /"]
                """);
    }

    /** A Dockerfile without {@code USER}: the image runs as root, which the platform refuses. */
    static Map<String, String> root() {
        return Map.of("Dockerfile", """
                FROM heroku-24
                RUN mkdir -p /www && echo root > /www/index.html
                CMD ["/bin/sh", "-c", "exec busybox httpd -f -p $PORT -h /www"]
                """);
    }

    /** A Dockerfile on a base image the platform does not have. */
    static Map<String, String> missingBase() {
        return Map.of("Dockerfile", """
                FROM heroku-99
                USER 1000
                CMD ["/bin/sh", "-c", "exec busybox httpd -f -p $PORT -h /"]
                """);
    }

    private static String page(String marker) {
        return "<!doctype html><title>image app</title><p>" + marker + "</p>\n";
    }
}
