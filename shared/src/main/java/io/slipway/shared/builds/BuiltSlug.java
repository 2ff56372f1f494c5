package io.slipway.shared.builds;

import java.util.Map;

/**
 * What a worker reports for a successful build: the slug it uploaded and how to run it.
 *
 * @param checksum {@code SHA256:<hex>} of the uploaded slug tarball
 * @param size the tarball's size in bytes (the api-server checks the stored object has exactly this size)
 * @param processTypes the Procfile's entries over the buildpacks' {@code default_process_types}
 * @param commit the source commit's sha when known, else null
 * @param commitDescription a one-line description of the commit when known, else null
 */
public record BuiltSlug(
        String checksum,
        long size,
        Map<String, String> processTypes,
        String buildpackProvidedDescription,
        String commit,
        String commitDescription) {

    public BuiltSlug {
        processTypes = Map.copyOf(processTypes);
    }
}
