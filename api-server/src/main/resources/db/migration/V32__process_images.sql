-- heroku.yml naming several Dockerfiles (issue #11): one image per distinct Dockerfile. A release still points at
-- one image (releases.image_id, web's: the primary), so rollback, config changes and everything else that copies
-- a release's artifact keep working unchanged; the primary image records which of the app's other images each
-- process type runs in (JSON object: process type -> images.id of an image of the same app). Types not listed
-- run in the primary image. Readers look each id up together with the app's id, never by id alone.
ALTER TABLE images ADD COLUMN process_images text NOT NULL DEFAULT '{}';
