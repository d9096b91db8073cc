package dev.berth.storage;

import dev.berth.core.Digest;
import dev.berth.core.RepositoryName;

/**
 * Manifests and tags kept in memory in front of the {@link MetadataStore}. The cache is never the
 * source of truth: an empty cache serves the same answers, only slower.
 *
 * <p>Entries are guarded by a stamp: a reader takes {@link #stamp()} before asking the database,
 * and its answer is cached only if nothing was invalidated meanwhile. That closes the race where
 * a slow read would put back a tag a write had just moved, or a manifest a delete had just
 * removed.
 */
public interface ManifestCache {

    /** A cached manifest of {@code repository}, or {@code null}. */
    ManifestRecord manifest(RepositoryName repository, Digest digest);

    /** Caches a manifest read from the database, unless anything was invalidated since {@code stamp}. */
    void putManifest(RepositoryName repository, ManifestRecord record, long stamp);

    void invalidateManifest(RepositoryName repository, Digest digest);

    /** The cached digest of a tag, or {@code null}. */
    Digest tag(RepositoryName repository, String tag);

    /** The current stamp; it changes on every invalidation. */
    long stamp();

    /** Caches a tag read from the database, unless anything was invalidated since {@code stamp}. */
    void putTag(RepositoryName repository, String tag, Digest digest, long stamp);

    void invalidateTag(RepositoryName repository, String tag);

    /** Drops every cached tag of {@code repository}. */
    void invalidateTags(RepositoryName repository);
}
