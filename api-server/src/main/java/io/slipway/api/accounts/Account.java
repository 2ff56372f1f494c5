package io.slipway.api.accounts;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A user of the platform: owns apps, collaborates on others, holds API keys and SSH keys. */
@Entity
@Table(name = "accounts")
public final class Account {
    @Id
    private UUID id;
    @Column(nullable = false)
    private String email;
    private String name;
    private String passwordHash;
    private boolean admin;
    /** Heroku's account settings; shown and stored, not acted on (there are no beta features or trackers). */
    private boolean beta;
    private boolean allowTracking = true;
    private Instant lastLogin;
    private Instant createdAt;
    private Instant updatedAt;

    protected Account() {}

    public Account(String email, String name, String passwordHash, boolean admin) {
        this.id = UUID.randomUUID();
        this.email = email;
        this.name = name;
        this.passwordHash = passwordHash;
        this.admin = admin;
        this.createdAt = Instant.now();
        this.updatedAt = this.createdAt;
    }

    public UUID id() { return id; }
    public String email() { return email; }
    public String name() { return name; }
    public String passwordHash() { return passwordHash; }
    public boolean admin() { return admin; }
    public boolean beta() { return beta; }
    public boolean allowTracking() { return allowTracking; }
    public Instant lastLogin() { return lastLogin; }
    public Instant createdAt() { return createdAt; }
    public Instant updatedAt() { return updatedAt; }

    public void rename(String newName) {
        this.name = newName;
        touch();
    }

    public void setBeta(boolean beta) {
        this.beta = beta;
        touch();
    }

    public void setAllowTracking(boolean allowTracking) {
        this.allowTracking = allowTracking;
        touch();
    }

    /** A login (a new authorization) happened; not an edit of the account, so {@code updatedAt} stays. */
    public void loggedIn(Instant at) {
        this.lastLogin = at;
    }

    public void changePasswordHash(String hash) {
        this.passwordHash = hash;
        touch();
    }

    private void touch() {
        this.updatedAt = Instant.now();
    }
}
