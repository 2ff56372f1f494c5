-- App setups (issue 10, app.json / the Heroku Button API): POST /app-setups creates the app at once and records
-- the rest here; a background poller (AppSetupPoller) carries each row through its phases, so an api-server
-- restart resumes where the row says.

CREATE TABLE app_setups (
    id                    uuid PRIMARY KEY,
    app_id                uuid NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    user_id               uuid NOT NULL,                  -- the caller: only they can GET it
    status                text NOT NULL,                  -- pending, succeeded, failed
    phase                 text NOT NULL,                  -- fetch, addons, build, done
    source_url            text NOT NULL,
    source_version        text,
    overrides_env         text NOT NULL DEFAULT '{}',     -- encrypted JSON, like config vars
    overrides_buildpacks  text,                           -- one per line, or null: app.json's
    pending_addons        text NOT NULL DEFAULT '[]',     -- app.json's add-ons not yet created, as JSON
    build_id              uuid,
    formation             text,                           -- app.json's formation, as JSON, scaled after the first release
    manifest_errors       text NOT NULL DEFAULT '[]',     -- JSON array of strings
    failure_message       text,
    resolved_success_url  text,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL
);
CREATE INDEX app_setups_unfinished ON app_setups (phase) WHERE phase <> 'done';
