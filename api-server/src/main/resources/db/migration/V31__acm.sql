-- Automated Certificate Management (heroku certs:auto:*): the app's flag, each custom domain's ACME state, the
-- HTTP-01 challenges the router answers, and the platform's ACME account key per directory.
ALTER TABLE apps ADD COLUMN acm boolean NOT NULL DEFAULT false;

-- A certificate the platform obtained (and renews); certs:auto:disable removes these, never the user's own.
ALTER TABLE sni_endpoints ADD COLUMN acm boolean NOT NULL DEFAULT false;

CREATE TABLE acm_domains (
    domain_id       uuid PRIMARY KEY REFERENCES domains (id) ON DELETE CASCADE,
    app_id          uuid NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    status          text NOT NULL,          -- pending | cert issued | failing | failed (Heroku's acm_status)
    status_reason   text,                   -- the ACME server's error while failing
    failures        int NOT NULL DEFAULT 0, -- consecutive failed attempts: the retry backoff
    next_attempt_at timestamptz NOT NULL,   -- when the scheduler orders (again): now, a retry, or renewal time
    lease_until     timestamptz,            -- a replica working on it; others skip it until then
    updated_at      timestamptz NOT NULL
);
CREATE INDEX acm_domains_due ON acm_domains (next_attempt_at);
CREATE INDEX acm_domains_app ON acm_domains (app_id);

-- Key authorizations of challenges under way: served by the router only for their own hostname.
CREATE TABLE acm_challenges (
    token             text PRIMARY KEY,
    hostname          text NOT NULL,
    key_authorization text NOT NULL,
    created_at        timestamptz NOT NULL
);

CREATE TABLE acm_accounts (
    id            uuid PRIMARY KEY,         -- (a uuid id: ReencryptConfigVars pages every sealed column by it)
    directory_url text NOT NULL UNIQUE,
    key_pair      text NOT NULL,            -- encrypted like config vars: {"key_pair": PEM}
    created_at    timestamptz NOT NULL
);
