-- The release phase (issue 10): a release whose slug has a `release` process type is created `pending`, runs
-- that command as the one-off dyno release.<version>, and becomes `succeeded` (current) or `failed`.
-- output_token is the credential in the release's output_stream_url (null: the release had no release phase).
-- Numbered apart from the add-on migrations written at the same time, so the two never collide.
ALTER TABLE releases ADD COLUMN output_token text;
CREATE INDEX releases_pending ON releases (created_at) WHERE status = 'pending';
