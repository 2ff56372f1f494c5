-- SNI endpoints (heroku certs:*): a certificate chain and its private key per app; domains point at one.
CREATE TABLE sni_endpoints (
    id                uuid PRIMARY KEY,
    app_id            uuid NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    name              text NOT NULL,
    certificate_chain text NOT NULL,          -- PEM, leaf first, as validated (never holds a key)
    private_key       text NOT NULL,          -- encrypted like config vars: enc:v1:<key id>:... of {"private_key": PKCS#8 PEM}
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    UNIQUE (app_id, name)
);
CREATE UNIQUE INDEX sni_endpoints_name_key ON sni_endpoints (name);

ALTER TABLE domains ADD COLUMN sni_endpoint_id uuid REFERENCES sni_endpoints (id) ON DELETE SET NULL;
CREATE INDEX domains_sni_endpoint ON domains (sni_endpoint_id) WHERE sni_endpoint_id IS NOT NULL;
