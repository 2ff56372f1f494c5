-- Deploy keys (issue 11): an SSH public key that may push to (and fetch from) one app and do nothing else.
-- A fingerprint names one key holder platform-wide: it is unique here, and AddSshKey/AddDeployKey refuse a key
-- already registered in the other table, so an SSH login always means exactly one thing.
CREATE TABLE deploy_keys (
    id              uuid PRIMARY KEY,
    app_id          uuid NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    name            text NOT NULL,
    public_key      text NOT NULL,             -- normalised "type base64 comment"
    fingerprint     text NOT NULL UNIQUE,      -- SHA256:... as ssh-keygen -lf prints it
    created_by      uuid REFERENCES accounts (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL
);
CREATE INDEX deploy_keys_app ON deploy_keys (app_id);
