-- Accounts and secrets (issue 8, point 4).

-- Failed password logins, counted per account (the email as typed, lower-cased, so unknown emails are counted
-- exactly like known ones) and per source address, in fixed windows. In the database so every api-server
-- replica sees the same counts. Rows whose window has passed are deleted as new failures arrive.
CREATE TABLE login_failures (
    scope         text        NOT NULL,  -- 'account' or 'address'
    key           text        NOT NULL,  -- the lower-cased email, or the source IP address
    window_start  timestamptz NOT NULL,
    failures      integer     NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX login_failures_window ON login_failures (window_start);

-- Who started a one-off dyno: its attach_url (a credential to the dyno's shell) is shown to that user only.
ALTER TABLE dynos ADD COLUMN started_by uuid;

-- apps.config_vars and releases.config_vars are now written encrypted by the api-server
-- ("enc:v1:<key id>:<base64 nonce+ciphertext>"); rows written before stay plain JSON until the api-server
-- re-encrypts them at startup (the key is never in SQL, so this migration cannot do it).
COMMENT ON COLUMN apps.config_vars IS 'encrypted JSON object of config vars (enc:v1:<key id>:...), or legacy plain JSON';
COMMENT ON COLUMN releases.config_vars IS 'encrypted JSON snapshot of config vars (enc:v1:<key id>:...), or legacy plain JSON';
COMMENT ON COLUMN dynos.run_env IS 'encrypted JSON of a one-off''s heroku run env (enc:v1:<key id>:...), or legacy plain JSON';
