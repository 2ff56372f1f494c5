-- heroku-postgresql backups and restores (issue 10): the transfers `heroku pg:backups` lists, and daily schedules.

CREATE TABLE pg_transfers (
    id              uuid PRIMARY KEY,
    app_id          uuid NOT NULL REFERENCES apps (id) ON DELETE CASCADE,   -- listed under this app (the add-on's billing app)
    num             bigint NOT NULL,                                        -- b001, r002...: per app
    addon_id        uuid NOT NULL,                                          -- backed up (pg_dump) or restored into (pg_restore); no FK: backups outlive it
    from_type       text NOT NULL,                                          -- pg_dump (a backup) or gof3r (a restore's source)
    from_name       text NOT NULL,
    to_type         text NOT NULL,                                          -- gof3r (a stored backup) or pg_restore
    to_name         text NOT NULL,
    source_id       uuid,                                                   -- a restore of a stored backup: that backup
    object_key      text,                                                   -- a backup's dump in the object store
    scheduled       boolean NOT NULL DEFAULT false,
    state           text NOT NULL,                                          -- pending, running, succeeded, failed
    processed_bytes bigint NOT NULL DEFAULT 0,
    logs            text NOT NULL DEFAULT '',                               -- one "time message" line each
    download_token_sha256 text,                                             -- pg:backups:download through the API: SHA-256 of the URL's token
    download_expires_at   timestamptz,
    created_at      timestamptz NOT NULL,
    started_at      timestamptz,
    finished_at     timestamptz,
    updated_at      timestamptz NOT NULL,
    UNIQUE (app_id, num)
);
CREATE INDEX pg_transfers_addon ON pg_transfers (addon_id);

CREATE TABLE pg_transfer_schedules (
    id              uuid PRIMARY KEY,
    addon_id        uuid NOT NULL REFERENCES addons (id) ON DELETE CASCADE,
    name            text NOT NULL,                                          -- the config var, DATABASE_URL
    hour            int NOT NULL CHECK (hour BETWEEN 0 AND 23),
    timezone        text NOT NULL,
    last_run_on     date,                                                   -- the day (in its timezone) it last ran
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    UNIQUE (addon_id)
);
