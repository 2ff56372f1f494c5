-- Account settings the Platform API shows and lets the user change (PATCH /account), and when the account last
-- logged in (created an authorization). Slipway acts on none of beta / allow_tracking; they are kept so that
-- what a client sets is what it reads back.
ALTER TABLE accounts ADD COLUMN beta boolean NOT NULL DEFAULT false;
ALTER TABLE accounts ADD COLUMN allow_tracking boolean NOT NULL DEFAULT true;
ALTER TABLE accounts ADD COLUMN last_login timestamptz;

-- The account's own API key (Heroku Dashboard's "API Key"): the key `slipway users:create` hands out.
-- GET /oauth/authorizations/~ answers it, and `heroku logout` leaves a token alone when it is this key
-- (it revokes only the token `heroku login` created). At most one per account.
ALTER TABLE oauth_authorizations ADD COLUMN api_key boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX oauth_authorizations_one_api_key ON oauth_authorizations (account_id) WHERE api_key;
