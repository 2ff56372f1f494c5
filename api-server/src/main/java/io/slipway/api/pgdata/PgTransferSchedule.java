package io.slipway.api.pgdata;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** A daily backup of one add-on at an hour of a timezone ({@code heroku pg:backups:schedule --at '02:00 UTC'}). */
@Entity
@Table(name = "pg_transfer_schedules")
public final class PgTransferSchedule {
    @Id
    private UUID id;
    private UUID addonId;
    private String name;
    private int hour;
    private String timezone;
    private LocalDate lastRunOn;
    private Instant createdAt;
    private Instant updatedAt;

    protected PgTransferSchedule() {}

    public PgTransferSchedule(UUID addonId, String name, int hour, String timezone) {
        this.id = UUID.randomUUID();
        this.addonId = addonId;
        this.name = name;
        this.hour = hour;
        this.timezone = timezone;
        this.createdAt = Instant.now();
        this.updatedAt = createdAt;
    }

    public UUID id() { return id; }
    public UUID addonId() { return addonId; }
    public String name() { return name; }
    public int hour() { return hour; }
    public String timezone() { return timezone; }
    public LocalDate lastRunOn() { return lastRunOn; }
    public Instant createdAt() { return createdAt; }
    public Instant updatedAt() { return updatedAt; }

    public void change(String name, int hour, String timezone) {
        this.name = name;
        this.hour = hour;
        this.timezone = timezone;
        this.updatedAt = Instant.now();
    }

    public void ran(LocalDate day) {
        this.lastRunOn = day;
        this.updatedAt = Instant.now();
    }
}
