package io.slipway.shared.events;

/**
 * The event types on the api-server's ordered event stream ({@code GET /internal/events}). Followers
 * (router, dyno-agents, build-workers) switch on these names; the payload of each is a JSON object
 * described next to the constant.
 */
public final class EventTypes {
    private EventTypes() {}

    /** {@code {name, owner_id}}: an app was created. */
    public static final String APP_CREATED = "app.created";
    /** {@code {old_name, name}}: an app was renamed (its default domain moves with it). */
    public static final String APP_RENAMED = "app.renamed";
    /** {@code {name}}: an app and everything of it is gone; stop its dynos, drop its routes. */
    public static final String APP_DELETED = "app.deleted";
    /** {@code {maintenance}}: the router answers 503 with the maintenance page while true. */
    public static final String APP_MAINTENANCE = "app.maintenance";
    /**
     * {@code {name, enabled}}: an app's lab feature ({@code heroku labs:enable/disable}) was switched; the router
     * re-reads the app's routes (its {@code https_only}). Only appended when the switch really changed.
     */
    public static final String APP_FEATURE_CHANGED = "app.feature_changed";
    /** {@code {release_id, version, slug_id}}: a new current release (config change, deploy or rollback). */
    public static final String RELEASE_CREATED = "release.created";
    /** {@code {formation: [{type, quantity, size, command}]}}: desired dyno counts changed. */
    public static final String FORMATION_CHANGED = "formation.changed";
    /** {@code {type?, dyno?}}: restart all dynos, dynos of a type, or one dyno. */
    public static final String DYNO_RESTART_REQUESTED = "dyno.restart_requested";
    /** {@code {type?, dyno?}}: stop dynos of a type, or one dyno. */
    public static final String DYNO_STOP_REQUESTED = "dyno.stop_requested";
    /** {@code {hostname, kind}}: the router starts routing this host to the app. */
    public static final String DOMAIN_ADDED = "domain.added";
    /** {@code {hostname}}: the router stops routing this host. */
    public static final String DOMAIN_REMOVED = "domain.removed";
    /** {@code {hostname, sni_endpoint}} ({@code sni_endpoint} the endpoint's name or null): the certificate served for this host changed; the router re-reads {@code GET /internal/tls/{app_id}}. */
    public static final String DOMAIN_UPDATED = "domain.updated";
    /** {@code {id, name}}: an app got a certificate (SNI endpoint); it serves nothing until a domain points at it. */
    public static final String SNI_ENDPOINT_CREATED = "sni_endpoint.created";
    /** {@code {id, name}}: an endpoint's certificate and key were replaced; the router re-reads {@code GET /internal/tls/{app_id}}. */
    public static final String SNI_ENDPOINT_UPDATED = "sni_endpoint.updated";
    /** {@code {id, name}}: an endpoint is gone and its domains were detached (each also has a {@code domain.updated}). */
    public static final String SNI_ENDPOINT_DELETED = "sni_endpoint.deleted";
    /** {@code {id, url, token}}: send the app's log lines to this drain too. */
    public static final String LOG_DRAIN_ADDED = "log_drain.added";
    /** {@code {id, url}}: stop sending the app's log lines to this drain. */
    public static final String LOG_DRAIN_REMOVED = "log_drain.removed";
    /**
     * {@code {build_id}}: a build was queued. A hint for idle build-workers to claim now
     * ({@code POST /internal/builds/claim}); workers still poll the claim endpoint every few seconds, because
     * builds also become claimable without an event (a lost worker's build requeued, an app's previous build done).
     */
    public static final String BUILD_CREATED = "build.created";

    /**
     * {@code {agent_id}}: that dyno-agent's assignment list changed; the agent re-reads
     * {@code GET /internal/agents/{agent_id}/assignments}.
     */
    public static final String AGENT_ASSIGNMENTS_CHANGED = "agent.assignments_changed";
    /** {@code {dyno_id, name, type, release_id, state, host, port}}: a dyno's reported or scheduled state changed. */
    public static final String DYNO_STATE_CHANGED = "dyno.state_changed";
    /** {@code {}}: the app's routing may have changed (a web dyno came up or was retired); re-read its routes. */
    public static final String ROUTES_CHANGED = "routes.changed";
}
