package dev.berth.storage;

import dev.berth.core.Digest;
import dev.berth.core.RepositoryName;

/**
 * Manifests and tags kept in memory in front of the {@link MetadataStore}. The cache is never the
 * source of truth: an empty cache serves the same answers, only slower.
 *
 * <p>Tag entries are guarded by a stamp: a reader takes {@link #tagStamp()} before asking the
 * database, and its answer is cached only if no tag was written meanwhile. That closes the race
 * where a slow read would put back a tag that a write had just changed.
 */
public interface ManifestCache {

    /** A cached manifest of {@code repository}, or {@code null}. */
    ManifestRecord manifest(RepositoryName repository, Digest digest);

    void putManifest(RepositoryName repository, ManifestRecord record);

    void invalidateManifest(RepositoryName repository, Digest digest);

    /** The cached digest of a tag, or {@code null}. */
    Digest tag(RepositoryName repository, String tag);

    /** The current tag stamp; it changes on every tag invalidation. */
    long tagStamp();

    /** Caches a tag read from the database, unless tags changed since {@code stamp}. */
    void putTag(RepositoryName repository, String tag, Digest digest, long stamp);

    void invalidateTag(RepositoryName repository, String tag);

    /** Drops every cached tag of {@code repository}. */
    void invalidateTags(RepositoryName repository);
}
