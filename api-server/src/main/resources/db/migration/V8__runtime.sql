-- The runtime: dyno-agents that run dynos, and dynos as desired (scheduler) and reported (agents) state.

CREATE TABLE agents (
    id                  text PRIMARY KEY,                -- chosen and persisted by the agent
    host                text NOT NULL,                   -- where the router reaches this agent's dyno ports
    memory_mb           integer NOT NULL,
    dyno_slots          integer NOT NULL,
    state               text NOT NULL DEFAULT 'live',    -- 'live' | 'lost' (no heartbeat for lost_after_seconds)
    last_heartbeat_at   timestamptz NOT NULL,
    registered_at       timestamptz NOT NULL
);

-- During a deploy the old and the new release's web.1 both exist (the old one is retired once the new one is
-- up), and a retired dyno keeps its row until its agent reports it down: a name is unique only among the
-- desired-up dynos of one release.
ALTER TABLE dynos DROP CONSTRAINT IF EXISTS dynos_app_id_name_key;
ALTER TABLE dynos
    ADD COLUMN agent_id            text REFERENCES agents (id) ON DELETE SET NULL,
    ADD COLUMN host                text,
    ADD COLUMN port                integer,
    ADD COLUMN desired_state       text NOT NULL DEFAULT 'up',   -- 'up' | 'stopped'
    ADD COLUMN restart_generation  integer NOT NULL DEFAULT 0,
    ADD COLUMN one_off             boolean NOT NULL DEFAULT false,
    ADD COLUMN exit_code           integer,
    ADD COLUMN attach_secret       text,
    ADD COLUMN attach_tty          boolean NOT NULL DEFAULT false,
    ADD COLUMN run_env             text NOT NULL DEFAULT '{}';   -- JSON object: a one-off's own env
CREATE UNIQUE INDEX dynos_up_name ON dynos (app_id, release_id, name) WHERE desired_state = 'up';
CREATE INDEX dynos_app ON dynos (app_id);
CREATE INDEX dynos_agent ON dynos (agent_id);
CREATE UNIQUE INDEX dynos_attach_secret ON dynos (attach_secret) WHERE attach_secret IS NOT NULL;
