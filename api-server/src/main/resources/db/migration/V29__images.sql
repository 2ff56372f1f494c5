-- Dockerfile deploys (issue #11): OCI images. An app's image is what one of its builds produced (app_id set);
-- a platform base image is imported by the operator (app_id null, named name:tag). The blobs live in object
-- storage (images/apps/<app_id>/blobs/sha256/<hex> or images/base/blobs/sha256/<hex>); these rows say which
-- blobs make an image. layers and config are the canonical JSON of io.slipway.shared.images (ImageLayer list,
-- ImageConfig); base_digests lists the blobs of an app image found in the base namespace at verification time
-- (they were never uploaded into the app's namespace), so readers get URLs where the bytes really are.
CREATE TABLE images (
    id                  uuid PRIMARY KEY,
    app_id              uuid REFERENCES apps (id) ON DELETE CASCADE,
    name                text,
    tag                 text,
    manifest_digest     text NOT NULL,
    config_digest       text NOT NULL,
    layers              text NOT NULL,                 -- JSON array of {digest, size, media_type}
    config              text NOT NULL,                 -- JSON {user, env, working_dir, entrypoint, cmd}
    base_digests        text NOT NULL DEFAULT '[]',    -- JSON array of digests stored under images/base/
    layers_size         bigint NOT NULL,
    process_types       text NOT NULL DEFAULT '{}',    -- JSON object type -> command (heroku.yml run / Procfile)
    commit              text,
    commit_description  text,
    created_at          timestamptz NOT NULL,
    CHECK ((app_id IS NULL) = (name IS NOT NULL AND tag IS NOT NULL))
);
CREATE INDEX images_app ON images (app_id, created_at);
CREATE UNIQUE INDEX images_base_name ON images (name, tag) WHERE app_id IS NULL;

-- A release runs either a slug or an image (or nothing yet: the initial release).
ALTER TABLE releases ADD COLUMN image_id uuid REFERENCES images (id);
ALTER TABLE releases ADD CONSTRAINT releases_one_artifact CHECK (slug_id IS NULL OR image_id IS NULL);
