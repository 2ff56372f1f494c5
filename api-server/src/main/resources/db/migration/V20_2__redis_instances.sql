-- heroku-redis (issue 10): one redis-server per add-on. The port is unique, so two replicas provisioning at once
-- can never hand out the same one; the settings users change through the data API (redis:maxmemory,
-- redis:timeout) live here so any replica can record them and the Redis host applies them.
CREATE TABLE redis_instances (
    addon_id          uuid PRIMARY KEY,                 -- addons.id; kept until the instance is gone from the host
    port              integer NOT NULL UNIQUE,
    maxmemory_policy  text,                             -- null: the plan's
    timeout_seconds   integer NOT NULL DEFAULT 300,     -- idle client timeout, Heroku's default
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
