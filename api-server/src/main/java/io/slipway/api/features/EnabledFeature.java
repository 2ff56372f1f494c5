package io.slipway.api.features;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** A feature switched on for an account or an app ({@code ownerId} is the one or the other); off = no row. */
@Entity
@Table(name = "enabled_features")
@IdClass(EnabledFeature.Key.class)
public final class EnabledFeature {
    @Id
    private UUID ownerId;
    @Id
    private String name;
    private Instant createdAt;

    protected EnabledFeature() {}

    public EnabledFeature(UUID ownerId, String name) {
        this.ownerId = ownerId;
        this.name = name;
        this.createdAt = Instant.now();
    }

    public UUID ownerId() { return ownerId; }
    public String name() { return name; }
    /** when it was switched on */
    public Instant createdAt() { return createdAt; }

    public static class Key implements Serializable {
        private UUID ownerId;
        private String name;

        protected Key() {}

        public Key(UUID ownerId, String name) {
            this.ownerId = ownerId;
            this.name = name;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(ownerId, k.ownerId) && Objects.equals(name, k.name);
        }

        @Override
        public int hashCode() {
            return Objects.hash(ownerId, name);
        }
    }
}
