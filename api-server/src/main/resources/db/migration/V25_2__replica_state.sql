-- State the api-server replicas share (docs/operators.md, "Several api-server replicas").

-- Each account's API rate-limit bucket, taken from by every replica with one statement per request
-- (web/RateLimiter). UNLOGGED: a counter needs no WAL (cheaper on the hot path); after a PostgreSQL crash
-- the table is empty and every bucket starts full again, which only forgives calls.
CREATE UNLOGGED TABLE rate_limit_buckets (
    account_id uuid PRIMARY KEY,
    tokens double precision NOT NULL,
    refused boolean NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL
);

-- heroku run: the replica where the first half of a session (CLI or dyno) waits, by the SHA-256 of the
-- pairing secret, so the other half can be relayed there when it lands on another replica
-- (rendezvous/RendezvousDirectory). A row lives as long as the pairing; stale ones are taken over.
CREATE TABLE rendezvous_halves (
    secret_hash text PRIMARY KEY,
    relay_address text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
