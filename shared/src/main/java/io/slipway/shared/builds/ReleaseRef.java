package io.slipway.shared.builds;

/** The release the api-server created for a successful build. */
public record ReleaseRef(String id, int version) {}
