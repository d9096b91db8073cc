-- Long-lived, scoped tokens for CI pipelines, used as the password of a Basic login. Only a
-- hash of each secret is kept; the secret itself is shown once, when the token is created.
CREATE TABLE access_tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    repositories TEXT NOT NULL,
    actions TEXT NOT NULL,
    secret_sha256 TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    revoked_at INTEGER
);
