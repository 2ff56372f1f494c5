-- Deploys (issue #3): slugs, builds and their output. Objects themselves live in S3 (docs/internal-api.md);
-- these rows say which object belongs to what.

-- A slug: a built app ready to run. Made by a build, or created through POST /apps/{app}/slugs and uploaded
-- by the client. `size` stays null until the object was verified in storage (HEAD) at release time.
CREATE TABLE slugs (
    id                              uuid PRIMARY KEY,
    app_id                          uuid NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    checksum                        text,                 -- SHA256:<hex>, as reported; not recomputed
    size                            bigint,
    process_types                   text NOT NULL DEFAULT '{}',  -- JSON object type -> command
    stack                           text NOT NULL,
    buildpack_provided_description  text,
    commit                          text,
    commit_description              text,
    object_key                      text NOT NULL,        -- slugs/<app_id>/<slug_id>.tgz
    created_at                      timestamptz NOT NULL,
    updated_at                      timestamptz NOT NULL
);
CREATE INDEX slugs_app ON slugs (app_id, created_at);

-- A build: a source tarball turned into a slug by a build-worker, then into a release. A pending build is
-- queued while lease_owner is null and running while a worker holds the lease.
CREATE TABLE builds (
    id                          uuid PRIMARY KEY,
    app_id                      uuid NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    status                      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
    stack                       text NOT NULL,
    source_url                  text NOT NULL,
    source_version              text,
    source_version_description  text,
    source_checksum             text,
    buildpacks                  text NOT NULL DEFAULT '[]',   -- JSON array of {url, name}, in order
    user_id                     uuid REFERENCES accounts (id) ON DELETE SET NULL,
    slug_id                     uuid,                 -- the slug the worker uploads to; its row exists once the build succeeded
    release_id                  uuid REFERENCES releases (id) ON DELETE SET NULL,
    output_token                text NOT NULL,        -- the credential in output_stream_url
    lease_owner                 text,                 -- worker_id of the claim
    lease_expires_at            timestamptz,
    attempts                    integer NOT NULL DEFAULT 0,  -- claims so far
    message                     text,                 -- why it failed
    started_at                  timestamptz,          -- when the current (or last) claim started it
    created_at                  timestamptz NOT NULL,
    updated_at                  timestamptz NOT NULL
);
CREATE INDEX builds_app ON builds (app_id, created_at);
CREATE INDEX builds_queued ON builds (created_at) WHERE status = 'pending' AND lease_owner IS NULL;
CREATE INDEX builds_leased ON builds (lease_expires_at) WHERE status = 'pending' AND lease_owner IS NOT NULL;

-- A build's output, in the order the worker posted it; output_stream_url replays and follows it.
CREATE TABLE build_output (
    build_id    uuid NOT NULL REFERENCES builds (id) ON DELETE CASCADE,
    seq         integer NOT NULL,
    chunk       text NOT NULL,
    PRIMARY KEY (build_id, seq)
);
