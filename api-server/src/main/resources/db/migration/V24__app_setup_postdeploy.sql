-- app.json's scripts.postdeploy (issue 10): run once as the one-off dyno postdeploy.1 after the setup's first
-- release is live; the setup's new phase 'postdeploy' waits for its exit, which the dyno's state report records.
ALTER TABLE app_setups
    ADD COLUMN postdeploy_command     text,          -- app.json's scripts.postdeploy, or null: none to run
    ADD COLUMN postdeploy_dyno_id     uuid,          -- the one-off running it (its row goes when it ends)
    ADD COLUMN postdeploy_started_at  timestamptz,
    ADD COLUMN postdeploy_exit_code   integer,       -- set by the dyno's down/crashed report; -1: no exit status
    ADD COLUMN postdeploy_ended_at    timestamptz,
    ADD COLUMN postdeploy_output      text;          -- the dyno's output from the app's log, once finished
CREATE INDEX app_setups_postdeploy_dyno ON app_setups (postdeploy_dyno_id) WHERE postdeploy_dyno_id IS NOT NULL;
