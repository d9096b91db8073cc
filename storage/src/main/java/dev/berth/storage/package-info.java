/**
 * Where the registry keeps things: metadata behind {@link dev.berth.storage.MetadataStore} (SQLite
 * through R2DBC by default), blob bytes behind {@link dev.berth.storage.BlobStore} (files on local
 * disk), the manifest and listing caches in front of the metadata, and the garbage collector
 * that keeps the two in step. {@link dev.berth.storage.Storage} opens all of them over one data
 * directory:
 *
 * <pre>
 * data/
 *   berth.db, berth.db-wal, berth.db-shm   metadata (SQLite in WAL mode)
 *   berth.lock                             held by the process that ran start-up recovery
 *   blobs/sha256/ab/abcdef...              one file per blob, named by its digest
 *   uploads/&lt;uuid&gt;                         upload sessions, appended chunk by chunk
 * </pre>
 *
 * <p>This package knows nothing of HTTP. Every method that touches disk or database returns a
 * {@code Mono} or {@code Flux} and does its blocking work on a scheduler made for it.
 */
package dev.berth.storage;
