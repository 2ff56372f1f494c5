package io.slipway.api.buildpacks;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

/**
 * One buildpack an app's builds run, at position {@code ordinal} (0 first). No rows: the build-worker detects
 * the buildpack itself, as Heroku does.
 *
 * @see Buildpacks for what {@code url} and {@code name} hold
 */
@Entity
@Table(name = "buildpack_installations")
@IdClass(BuildpackInstallation.Key.class)
public final class BuildpackInstallation {
    @Id
    private UUID appId;
    @Id
    private int ordinal;
    private String url;
    private String name;

    protected BuildpackInstallation() {}

    public BuildpackInstallation(UUID appId, int ordinal, String url, String name) {
        this.appId = appId;
        this.ordinal = ordinal;
        this.url = url;
        this.name = name;
    }

    public UUID appId() { return appId; }
    public int ordinal() { return ordinal; }
    /** {@code urn:buildpack:heroku/<name>} for a built-in buildpack, else the https URL to fetch */
    public String url() { return url; }
    /** {@code heroku/<name>} for a built-in buildpack, else the URL again */
    public String name() { return name; }

    public static class Key implements Serializable {
        private UUID appId;
        private int ordinal;

        protected Key() {}

        public Key(UUID appId, int ordinal) {
            this.appId = appId;
            this.ordinal = ordinal;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(appId, k.appId) && ordinal == k.ordinal;
        }

        @Override
        public int hashCode() {
            return Objects.hash(appId, ordinal);
        }
    }
}
