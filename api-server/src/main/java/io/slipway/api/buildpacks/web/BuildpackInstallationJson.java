package io.slipway.api.buildpacks.web;

import io.slipway.api.buildpacks.BuildpackInstallation;

/** The Platform API's {@code buildpack-installation} shape. */
public record BuildpackInstallationJson(int ordinal, Buildpack buildpack) {

    public record Buildpack(String url, String name) {}

    public static BuildpackInstallationJson of(BuildpackInstallation b) {
        return new BuildpackInstallationJson(b.ordinal(), new Buildpack(b.url(), b.name()));
    }
}
