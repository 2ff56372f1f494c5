package io.slipway.api.formation;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One process type of an app (from its Procfile) and how many dynos of which size should run it: the
 * desired state the runtime converges to.
 */
@Entity
@Table(name = "formations")
public final class Formation {
    @Id
    private UUID id;
    private UUID appId;
    private String type;
    private int quantity;
    private String size;
    private String command;
    private Instant createdAt;
    private Instant updatedAt;

    protected Formation() {}

    public Formation(UUID appId, String type, int quantity, String size, String command) {
        this.id = UUID.randomUUID();
        this.appId = appId;
        this.type = type;
        this.quantity = quantity;
        this.size = size;
        this.command = command;
        this.createdAt = Instant.now();
        this.updatedAt = this.createdAt;
    }

    public UUID id() { return id; }
    public UUID appId() { return appId; }
    public String type() { return type; }
    public int quantity() { return quantity; }
    public String size() { return size; }
    public String command() { return command; }
    public Instant createdAt() { return createdAt; }
    public Instant updatedAt() { return updatedAt; }

    /** Returns whether anything changed. */
    public boolean scale(int newQuantity, String newSize) {
        if (newQuantity == quantity && newSize.equals(size)) return false;
        this.quantity = newQuantity;
        this.size = newSize;
        touch();
        return true;
    }

    /** Returns whether the command changed. */
    public boolean changeCommand(String newCommand) {
        if (newCommand.equals(command)) return false;
        this.command = newCommand;
        touch();
        return true;
    }

    private void touch() {
        this.updatedAt = Instant.now();
    }
}
