-- Add-ons (issue 10): a provisioned resource (a database, a Redis) billed to one app and attached to one or more.

CREATE TABLE addons (
    id              uuid PRIMARY KEY,
    name            text NOT NULL UNIQUE,                     -- globally unique, e.g. postgresql-shallow-12345
    app_id          uuid NOT NULL REFERENCES apps (id),       -- the billing app; its destroy deprovisions first
    service         text NOT NULL,                            -- heroku-postgresql, heroku-redis
    plan            text NOT NULL,                            -- heroku-postgresql:essential-0
    state           text NOT NULL,                            -- provisioning, provisioned, deprovisioned
    provider_id     text,                                     -- the provider's handle of the resource
    config          text NOT NULL DEFAULT '{}',               -- encrypted JSON: the values its config vars get ({"URL": ...})
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX addons_app ON addons (app_id);

CREATE TABLE addon_attachments (
    id              uuid PRIMARY KEY,
    addon_id        uuid NOT NULL REFERENCES addons (id) ON DELETE CASCADE,
    app_id          uuid NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    name            text NOT NULL,                            -- DATABASE: the config var is DATABASE_URL
    namespace       text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    UNIQUE (app_id, name)
);
CREATE INDEX addon_attachments_addon ON addon_attachments (addon_id);
