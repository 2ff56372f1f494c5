-- An app's recent log lines (its "logplex" buffer): what `heroku logs` shows and `--tail` follows. Only the
-- last 1,500 lines per app are kept (trimmed as lines arrive); seq orders lines across every api-server
-- replica and is the SSE id a reconnecting `heroku logs --tail` resumes after.
CREATE TABLE log_lines (
    seq             bigserial PRIMARY KEY,
    app_id          uuid NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    time            timestamptz NOT NULL,
    source          text NOT NULL,             -- app | heroku
    dyno            text NOT NULL,             -- web.1, router, api, run.4021...
    message         text NOT NULL
);
CREATE INDEX log_lines_app_seq ON log_lines (app_id, seq);

-- A log session (POST /apps/{app}/log-sessions): its logplex_url carries a random token, stored here only as
-- its SHA-256, with the filters the session was made with. Tail sessions live longer so that the CLI can
-- reconnect (with Last-Event-ID) to the same URL.
CREATE TABLE log_sessions (
    id              uuid PRIMARY KEY,
    token_hash      text NOT NULL UNIQUE,      -- hex SHA-256 of the URL's token
    app_id          uuid NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    dyno            text,                      -- web.1 (exact) or web (process type); null: every dyno
    source          text,                      -- app | heroku; null: both
    lines           integer NOT NULL,
    tail            boolean NOT NULL,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL
);
CREATE INDEX log_sessions_expires ON log_sessions (expires_at);
