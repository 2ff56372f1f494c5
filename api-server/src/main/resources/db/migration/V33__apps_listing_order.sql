-- `heroku apps` (GET /apps) lists an account's apps a page at a time, ordered by id or name compared as C-collated
-- text. With only apps_owner (owner_id) PostgreSQL read every app of the account and sorted them to return the
-- first 200: 1.85 ms of its CPU per page for an account with 1,000 apps. These indexes hold the owner's apps in
-- the listing's order, so a page reads its 200 entries and stops (ListApps). They lead with owner_id, so they also
-- serve every lookup apps_owner did.
CREATE INDEX apps_owner_id_order ON apps (owner_id, (id::text COLLATE "C"));
CREATE INDEX apps_owner_name_order ON apps (owner_id, (name COLLATE "C"));
DROP INDEX apps_owner;
