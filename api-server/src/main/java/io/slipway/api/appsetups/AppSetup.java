package io.slipway.api.appsetups;

import io.slipway.api.secrets.EncryptedConfigVars;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One {@code POST /app-setups}: the app it created, and how far the background work got. {@link #phase} is the
 * poller's step ({@code fetch}: read app.json, set config vars and buildpacks; {@code addons}: create app.json's
 * add-ons one at a time, then queue the build; {@code build}: follow the build and its release, then scale;
 * {@code postdeploy}: app.json's {@code scripts.postdeploy} runs as a one-off dyno, its exit decides; {@code done}). {@link #overridesEnv} may hold secrets, so it is encrypted at rest.
 */
@Entity
@Table(name = "app_setups")
public final class AppSetup {
    public static final String PENDING = "pending";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String PHASE_FETCH = "fetch";
    public static final String PHASE_ADDONS = "addons";
    public static final String PHASE_BUILD = "build";
    public static final String PHASE_POSTDEPLOY = "postdeploy";
    public static final String PHASE_DONE = "done";

    @Id
    private UUID id;
    private UUID appId;
    private UUID userId;
    private String status;
    private String phase;
    private String sourceUrl;
    private String sourceVersion;
    @Convert(converter = EncryptedConfigVars.class)
    private Map<String, String> overridesEnv = new LinkedHashMap<>();
    private String overridesBuildpacks;
    private String pendingAddons = "[]";
    private UUID buildId;
    private String formation;
    private String manifestErrors = "[]";
    private String failureMessage;
    private String resolvedSuccessUrl;
    private String postdeployCommand;
    private UUID postdeployDynoId;
    private Instant postdeployStartedAt;
    private Integer postdeployExitCode;
    private Instant postdeployEndedAt;
    private String postdeployOutput;
    private Instant createdAt;
    private Instant updatedAt;

    protected AppSetup() {}

    public AppSetup(UUID appId, UUID userId, String sourceUrl, String sourceVersion, Map<String, String> overridesEnv,
                    List<String> overridesBuildpacks) {
        this.id = UUID.randomUUID();
        this.appId = appId;
        this.userId = userId;
        this.status = PENDING;
        this.phase = PHASE_FETCH;
        this.sourceUrl = sourceUrl;
        this.sourceVersion = sourceVersion;
        this.overridesEnv = new LinkedHashMap<>(overridesEnv);
        this.overridesBuildpacks = overridesBuildpacks == null ? null : String.join("\n", overridesBuildpacks);
        this.createdAt = Instant.now();
        this.updatedAt = createdAt;
    }

    public UUID id() { return id; }
    public UUID appId() { return appId; }
    public UUID userId() { return userId; }
    public String status() { return status; }
    public String phase() { return phase; }
    public String sourceUrl() { return sourceUrl; }
    public String sourceVersion() { return sourceVersion; }
    public Map<String, String> overridesEnv() { return new LinkedHashMap<>(overridesEnv); }
    /** Null: use app.json's buildpacks. */
    public List<String> overridesBuildpacks() {
        if (overridesBuildpacks == null) return null;
        return overridesBuildpacks.isEmpty() ? List.of() : List.of(overridesBuildpacks.split("\n"));
    }
    public String pendingAddons() { return pendingAddons; }
    public UUID buildId() { return buildId; }
    public String formation() { return formation; }
    public String manifestErrors() { return manifestErrors; }
    public String failureMessage() { return failureMessage; }
    public String resolvedSuccessUrl() { return resolvedSuccessUrl; }
    public String postdeployCommand() { return postdeployCommand; }
    public UUID postdeployDynoId() { return postdeployDynoId; }
    public Instant postdeployStartedAt() { return postdeployStartedAt; }
    /** Set by the dyno's exit report ({@link PostdeployExited}); -1 when it ended without an exit status. */
    public Integer postdeployExitCode() { return postdeployExitCode; }
    public Instant postdeployEndedAt() { return postdeployEndedAt; }
    /** Null until the postdeploy script has finished and its output was collected. */
    public String postdeployOutput() { return postdeployOutput; }
    public Instant createdAt() { return createdAt; }
    public Instant updatedAt() { return updatedAt; }

    /** Config vars and buildpacks are set; what else app.json asks for is kept for the next phases. */
    public void configured(String addonsJson, String formationJson, String manifestErrorsJson, String successUrl,
                           String postdeploy) {
        this.postdeployCommand = postdeploy;
        this.pendingAddons = addonsJson;
        this.formation = formationJson;
        this.manifestErrors = manifestErrorsJson;
        this.resolvedSuccessUrl = successUrl;
        this.phase = PHASE_ADDONS;
        touch();
    }

    /** Committed before the add-on is created: after a crash it is skipped rather than created twice. */
    public void addonTaken(String remainingJson) {
        this.pendingAddons = remainingJson;
        touch();
    }

    /** The build is queued: now follow it. */
    public void building(UUID build) {
        this.buildId = build;
        this.phase = PHASE_BUILD;
        touch();
    }

    /** The first release is live and scaled; now wait for the postdeploy dyno. */
    public void postdeployStarted(UUID dynoId) {
        this.postdeployDynoId = dynoId;
        this.postdeployStartedAt = Instant.now();
        this.phase = PHASE_POSTDEPLOY;
        touch();
    }

    /** The script's output is in; {@code exitCode} null: it never ended (timeout, lost dyno). */
    public void postdeployFinished(Integer exitCode, String output) {
        this.postdeployExitCode = exitCode;
        this.postdeployOutput = output;
        touch();
    }

    public void succeed() {
        this.status = SUCCEEDED;
        this.phase = PHASE_DONE;
        touch();
    }

    public void fail(String message) {
        this.status = FAILED;
        this.failureMessage = message;
        this.phase = PHASE_DONE;
        touch();
    }

    private void touch() {
        this.updatedAt = Instant.now();
    }
}
