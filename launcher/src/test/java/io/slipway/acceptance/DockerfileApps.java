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
     * {@code heroku.yml}: the image built from the Dockerfile with a build arg, {@code web} and a {@code worker}
     * from {@code run:}.
     */
    static Map<String, String> herokuYml(String greeting) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("heroku.yml", """
                build:
                  docker:
                    web: Dockerfile
                  config:
                    GREETING: %s
                run:
                  web: busybox httpd -f -p $PORT -h /app/www
                  worker: while true; do echo "worker-alive greeting=$(cat /app/greeting.txt)"; sleep 2; done
                """.formatted(greeting));
        files.put("Dockerfile", """
                FROM heroku-24
                ARG GREETING=unset
                RUN mkdir -p /app/www && echo "greeting=$GREETING" > /app/www/index.html && echo "$GREETING" > /app/greeting.txt
                USER 1000
                WORKDIR /app
                """);
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
