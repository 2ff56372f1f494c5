package io.slipway.api.slugs.web;

import io.slipway.api.apps.Stacks;
import io.slipway.api.slugs.Slug;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The Platform API's {@code slug} shape. {@code blob} is where to move the tarball: a presigned PUT right
 * after {@code POST /apps/{app}/slugs}, a presigned GET afterwards.
 */
public record SlugJson(
        Blob blob,
        String buildpackProvidedDescription,
        String checksum,
        String commit,
        String commitDescription,
        Instant createdAt,
        UUID id,
        Map<String, String> processTypes,
        Long size,
        Stack stack,
        Instant updatedAt) {

    public record Blob(String method, String url) {}

    public record Stack(UUID id, String name) {}

    public static SlugJson of(Slug slug, String method, String url) {
        return new SlugJson(new Blob(method, url), slug.buildpackProvidedDescription(), slug.checksum(), slug.commit(),
                slug.commitDescription(), slug.createdAt(), slug.id(), slug.processTypes(), slug.size(),
                new Stack(Stacks.id(slug.stack()), slug.stack()), slug.updatedAt());
    }
}
