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
public class Account {
    @Id
    private UUID id;
    @Column(nullable = false)
    private String email;
    private String name;
    private String passwordHash;
    private boolean admin;
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
    public Instant createdAt() { return createdAt; }
    public Instant updatedAt() { return updatedAt; }

    public void rename(String newName) {
        this.name = newName;
        touch();
    }

    public void changePasswordHash(String hash) {
        this.passwordHash = hash;
        touch();
    }

    private void touch() {
        this.updatedAt = Instant.now();
    }
}
