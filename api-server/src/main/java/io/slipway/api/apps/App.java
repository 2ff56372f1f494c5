package io.slipway.api.apps;

import io.slipway.api.secrets.SealedConfigVars;
import io.slipway.api.secrets.SealedConfigVarsConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.descriptor.java.Immutability;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** An application: a name, an owner, its current config vars and the settings the runtime follows. */
@Entity
@Table(name = "apps")
public final class App {
    @Id
    private UUID id;
    private String name;
    private UUID ownerId;
    private String region;
    private String stack;
    private String buildStack;
    private boolean maintenance;
    /** Automated Certificate Management: read here, written only by the acm package (so a save never undoes it). */
    @Column(insertable = false, updatable = false)
    private boolean acm;
    /** Decrypted only when read (most requests never do); immutable, so Hibernate keeps no decrypted snapshot. */
    @Convert(converter = SealedConfigVarsConverter.class)
    @Column(name = "config_vars")
    @Mutability(Immutability.class)
    private SealedConfigVars configVars = SealedConfigVars.of(Map.of());
    private long repoSize;
    private long slugSize;
    private Instant releasedAt;
    private Instant createdAt;
    private Instant updatedAt;

    protected App() {}

    public App(String name, UUID ownerId, String region, String stack) {
        this.id = UUID.randomUUID();
        this.name = name;
        this.ownerId = ownerId;
        this.region = region;
        this.stack = stack;
        this.buildStack = stack;
        this.createdAt = Instant.now();
        this.updatedAt = this.createdAt;
    }

    public UUID id() { return id; }
    public String name() { return name; }
    public UUID ownerId() { return ownerId; }
    public String region() { return region; }
    public String stack() { return stack; }
    public String buildStack() { return buildStack; }
    public boolean maintenance() { return maintenance; }
    public boolean acm() { return acm; }
    /** A copy: change config through {@link #replaceConfigVars}, which a release must follow. */
    public Map<String, String> configVars() { return new LinkedHashMap<>(configVars.map()); }
    public long repoSize() { return repoSize; }
    public long slugSize() { return slugSize; }
    public Instant releasedAt() { return releasedAt; }
    public Instant createdAt() { return createdAt; }
    public Instant updatedAt() { return updatedAt; }

    public void rename(String newName) {
        this.name = newName;
        touch();
    }

    public void setMaintenance(boolean on) {
        this.maintenance = on;
        touch();
    }

    public void replaceConfigVars(Map<String, String> vars) {
        this.configVars = SealedConfigVars.of(vars);
        touch();
    }

    public void markReleased(Instant at) {
        this.releasedAt = at;
        touch();
    }

    /**
     * {@code heroku stack:set}: the next build uses {@code name}; an app that never ran code takes it as its stack
     * at once (as Heroku does), otherwise its next deploy does ({@link #deployedOn}).
     */
    public void changeBuildStack(String name, boolean deployed) {
        this.buildStack = name;
        if (!deployed) this.stack = name;
        touch();
    }

    /** A build on {@code buildStack} went live: the app now runs on that stack. */
    public void deployedOn(String buildStack) {
        if (buildStack == null || buildStack.equals(stack)) return;
        this.stack = buildStack;
        touch();
    }

    public void setSlugSize(long bytes) {
        this.slugSize = bytes;
        touch();
    }

    public void setRepoSize(long bytes) {
        this.repoSize = bytes;
        touch();
    }

    public void transferTo(UUID newOwner) {
        this.ownerId = newOwner;
        touch();
    }

    private void touch() {
        this.updatedAt = Instant.now();
    }
}
