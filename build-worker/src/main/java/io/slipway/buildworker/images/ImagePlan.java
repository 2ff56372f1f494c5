package io.slipway.buildworker.images;

import java.util.List;
import java.util.Map;

/**
 * What an image build builds: the Dockerfile (read by the worker, never by path from Buildah), its build
 * arguments, the process types the source declares, and lines the build prints first (what was chosen, and what
 * of {@code heroku.yml} is not supported).
 *
 * @param dockerfilePath where the Dockerfile is in the source, as shown to the user
 * @param dockerfile its text
 * @param processTypes {@code heroku.yml} {@code run:} over the {@code Procfile}; empty: web runs the image's
 *        own entrypoint and cmd
 */
public record ImagePlan(String dockerfilePath, String dockerfile, Map<String, String> buildArgs,
                        Map<String, String> processTypes, List<String> notes) {
    public ImagePlan {
        buildArgs = Map.copyOf(buildArgs);
        processTypes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(processTypes));
        notes = List.copyOf(notes);
    }
}
