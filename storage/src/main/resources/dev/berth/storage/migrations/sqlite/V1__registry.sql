-- The registry's metadata. Blob bytes live on disk (see FileBlobStore); manifests live here,
-- since they are small (4 MiB at most) and read far more often than written.

CREATE TABLE repositories (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

-- One row per distinct blob content, whichever repositories hold it.
CREATE TABLE blobs (
    digest TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

-- A blob is visible in a repository only through a link; unlinking never deletes the file.
CREATE TABLE repository_blobs (
    repository_id INTEGER NOT NULL REFERENCES repositories (id),
    digest TEXT NOT NULL REFERENCES blobs (digest),
    linked_at INTEGER NOT NULL,
    PRIMARY KEY (repository_id, digest)
);
CREATE INDEX repository_blobs_by_digest ON repository_blobs (digest);

CREATE TABLE manifests (
    repository_id INTEGER NOT NULL REFERENCES repositories (id),
    digest TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    content BLOB NOT NULL,
    subject TEXT,
    artifact_type TEXT,
    annotations TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (repository_id, digest)
);
-- The referrers API lists the manifests whose subject is a digest, ordered by digest.
CREATE INDEX manifests_by_subject ON manifests (repository_id, subject, digest) WHERE subject IS NOT NULL;

-- What each manifest points at: blobs (config, layers) and, for an index, child manifests.
CREATE TABLE manifest_references (
    repository_id INTEGER NOT NULL,
    manifest_digest TEXT NOT NULL,
    target_digest TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('blob', 'manifest')),
    PRIMARY KEY (repository_id, manifest_digest, kind, target_digest),
    FOREIGN KEY (repository_id, manifest_digest)
        REFERENCES manifests (repository_id, digest) ON DELETE CASCADE
);
CREATE INDEX manifest_references_by_target ON manifest_references (repository_id, target_digest);

-- Deleting a manifest deletes the tags that point at it.
CREATE TABLE tags (
    repository_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    digest TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (repository_id, name),
    FOREIGN KEY (repository_id, digest) REFERENCES manifests (repository_id, digest) ON DELETE CASCADE
);
CREATE INDEX tags_by_digest ON tags (repository_id, digest);

CREATE TABLE uploads (
    id TEXT PRIMARY KEY,
    repository TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    touched_at INTEGER NOT NULL
);
