-- Blobs whose bytes garbage collection is removing. A row is written in the same transaction that
-- deletes the blob's row, and removed in the transaction that deletes the file; while it exists,
-- linking the blob fails with a retryable error (see GarbageCollector for the whole protocol).
CREATE TABLE blob_deletions (
    digest TEXT PRIMARY KEY,
    started_at INTEGER NOT NULL
);
