-- Volumes (issue 11): a directory that survives deploys, restarts and rollbacks, bound into every dyno of one
-- process type at one path. Host-local: each agent keeps its own copy (docs/volumes.md).
CREATE TABLE volumes (
    id              uuid PRIMARY KEY,
    app_id          uuid NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    name            text NOT NULL,
    process_type    text NOT NULL,
    mount_path      text NOT NULL,
    size_mb         integer NOT NULL,
    created_at      timestamptz NOT NULL,
    UNIQUE (app_id, name),
    UNIQUE (app_id, process_type, mount_path)
);
CREATE INDEX volumes_app ON volumes (app_id);
