-- One git push at a time per app, across every git-gateway node: a push holds this row from restoring the
-- app's repository until it has written it back. A lock past expires_at is dead (its gateway crashed or lost
-- the network) and the next push takes it over; a live holder renews it while a long build runs.
CREATE TABLE push_locks (
    app_id          uuid PRIMARY KEY REFERENCES apps (id) ON DELETE CASCADE,
    holder          text NOT NULL,             -- "<gateway node id>/<push id>"
    expires_at      timestamptz NOT NULL,
    acquired_at     timestamptz NOT NULL DEFAULT now()
);
