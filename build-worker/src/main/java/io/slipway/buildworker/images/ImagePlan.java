package io.slipway.buildworker.images;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an image build builds: the Dockerfile (read by the worker, never by path from Buildah), its build
 * arguments, the process types the source declares, and lines the build prints first (what was chosen, and what
 * of {@code heroku.yml} is not supported). A {@code heroku.yml} naming several Dockerfiles adds {@code others}:
 * each distinct Dockerfile besides the primary one (web's, else the first), built once, with the process types
 * that run in its image; every other type runs in the primary image.
 *
 * @param dockerfilePath where the primary Dockerfile is in the source, as shown to the user
 * @param dockerfile its text
 * @param processTypes {@code heroku.yml} {@code run:} (and {@code release:}) over the {@code Procfile}; empty:
 *        web runs the image's own entrypoint and cmd
 * @param others the other Dockerfiles, in {@code heroku.yml}'s order
 */
public record ImagePlan(String dockerfilePath, String dockerfile, Map<String, String> buildArgs,
                        Map<String, String> processTypes, List<String> notes, List<Other> others) {

    /** Another Dockerfile of {@code heroku.yml} and the process types that run in its image. */
    public record Other(String dockerfilePath, String dockerfile, List<String> types) {
        public Other {
            types = List.copyOf(types);
        }
    }

    public ImagePlan {
        buildArgs = Map.copyOf(buildArgs);
        processTypes = Collections.unmodifiableMap(new LinkedHashMap<>(processTypes));
        notes = List.copyOf(notes);
        others = List.copyOf(others);
    }

    /** One Dockerfile: every process type runs in its image. */
    public ImagePlan(String dockerfilePath, String dockerfile, Map<String, String> buildArgs,
                     Map<String, String> processTypes, List<String> notes) {
        this(dockerfilePath, dockerfile, buildArgs, processTypes, notes, List.of());
    }
}
