package dev.berth.storage;

import java.time.Instant;
import java.util.function.Supplier;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.berth.core.Descriptor;
import dev.berth.core.Digest;
import dev.berth.core.Manifest;
import dev.berth.core.RepositoryName;
import dev.berth.storage.ListingCache.Catalog;

/**
 * A {@link MetadataStore} that answers manifest and tag lookups from a {@link ManifestCache},
 * tag lists, the catalog and repository existence from {@link ListingCache}s, and passes
 * everything else through. Writes go to the database first; the caches are invalidated only
 * after they committed, and invalidated again after they fail, since a failed commit may still
 * have been applied.
 */
final class CachingMetadataStore implements MetadataStore {
    private final MetadataStore delegate;
    private final ManifestCache cache;
    private final ListingCache<RepositoryName> tagLists;
    private final ListingCache<Catalog> catalog;

    /**
     * A store in front of {@code delegate}.
     *
     * @param tagLists each repository's tags, as {@code delegate} lists them
     * @param catalog the names of all repositories, as {@code delegate} lists them
     */
    CachingMetadataStore(MetadataStore delegate, ManifestCache cache,
            ListingCache<RepositoryName> tagLists, ListingCache<Catalog> catalog) {
        this.delegate = delegate;
        this.cache = cache;
        this.tagLists = tagLists;
        this.catalog = catalog;
    }

    @Override
    public Mono<ManifestRecord> findManifest(RepositoryName repository, Digest digest) {
        ManifestRecord cached = cache.manifest(repository, digest);
        if (cached != null) {
            return Mono.just(cached);
        }
        return Mono.defer(() -> {
            long stamp = cache.stamp();
            return delegate.findManifest(repository, digest)
                    .doOnNext(record -> cache.putManifest(repository, record, stamp));
        });
    }

    @Override
    public Mono<Digest> findTag(RepositoryName repository, String tag) {
        Digest cached = cache.tag(repository, tag);
        if (cached != null) {
            return Mono.just(cached);
        }
        return Mono.defer(() -> {
            long stamp = cache.stamp();
            return delegate.findTag(repository, tag)
                    .doOnNext(digest -> cache.putTag(repository, tag, digest, stamp));
        });
    }

    @Override
    public ManifestRecord peekManifest(RepositoryName repository, Digest digest) {
        return cache.manifest(repository, digest);
    }

    @Override
    public Digest peekTag(RepositoryName repository, String tag) {
        return cache.tag(repository, tag);
    }

    @Override
    public Mono<Void> putManifest(RepositoryName repository, ManifestRecord record, Manifest parsed, String tag) {
        return invalidating(delegate.putManifest(repository, record, parsed, tag),
                () -> afterPut(repository, tag));
    }

    /** A put may create the repository and, with a tag, add or move that tag. */
    private void afterPut(RepositoryName repository, String tag) {
        catalog.added(Catalog.ALL, repository.value());
        if (tag != null) {
            cache.invalidateTag(repository, tag);
            tagLists.added(repository, tag);
        }
    }

    @Override
    public Mono<Boolean> deleteManifest(RepositoryName repository, Digest digest) {
        return invalidating(delegate.deleteManifest(repository, digest), () -> {
            cache.invalidateManifest(repository, digest);
            cache.invalidateTags(repository);
            tagLists.invalidate(repository);
        });
    }

    @Override
    public Mono<Boolean> deleteTag(RepositoryName repository, String tag) {
        return invalidating(delegate.deleteTag(repository, tag), () -> {
            cache.invalidateTag(repository, tag);
            tagLists.invalidate(repository);
        });
    }

    /**
     * Invalidates before the write's outcome reaches the caller (unlike {@code doFinally}, which
     * runs after), so a caller that saw the write complete never reads the old entry.
     */
    private static <T> Mono<T> invalidating(Mono<T> write, Runnable invalidate) {
        return write.doOnTerminate(invalidate).doOnCancel(invalidate);
    }

    @Override
    public Mono<Long> findBlobSize(RepositoryName repository, Digest digest) {
        return delegate.findBlobSize(repository, digest);
    }

    @Override
    public Mono<Long> findBlobSizeAnywhere(Digest digest) {
        return delegate.findBlobSizeAnywhere(digest);
    }

    @Override
    public Mono<Void> linkBlob(RepositoryName repository, Digest digest, long size) {
        return invalidating(delegate.linkBlob(repository, digest, size),
                () -> catalog.added(Catalog.ALL, repository.value()));
    }

    @Override
    public Mono<Void> linkUploadedBlob(RepositoryName repository, Digest digest, long size, String uploadId) {
        return invalidating(delegate.linkUploadedBlob(repository, digest, size, uploadId),
                () -> catalog.added(Catalog.ALL, repository.value()));
    }

    @Override
    public Mono<Boolean> unlinkBlob(RepositoryName repository, Digest digest) {
        return delegate.unlinkBlob(repository, digest);
    }

    @Override
    public Flux<Descriptor> listReferrers(RepositoryName repository, Digest subject, String artifactType,
            Digest last, int limit) {
        return delegate.listReferrers(repository, subject, artifactType, last, limit);
    }

    @Override
    public Mono<Boolean> existsRepository(RepositoryName repository) {
        // The catalog lists exactly the rows of the repositories table that this looks up. Only a
        // list already in memory answers: loading every name for one check costs more than the
        // indexed lookup.
        SortedNames names = catalog.cached(Catalog.ALL);
        return names != null && names.cacheable() ? Mono.just(names.contains(repository.value()))
                : delegate.existsRepository(repository);
    }

    @Override
    public Flux<String> listTags(RepositoryName repository, String last, int limit) {
        return page(tagLists, repository, last, limit,
                () -> delegate.listTags(repository, last, limit));
    }

    @Override
    public Flux<String> listRepositories(String last, int limit) {
        return page(catalog, Catalog.ALL, last, limit,
                () -> delegate.listRepositories(last, limit));
    }

    /** A page of the list of {@code key}, or of {@code database} when the list is not cached. */
    private static <K> Flux<String> page(ListingCache<K> lists, K key, String last, int limit,
            Supplier<Flux<String>> database) {
        if (!SortedNames.searchable(last)) {
            return database.get();
        }
        return lists.names(key)
                .flatMapMany(names -> names.cacheable() ? Flux.fromIterable(names.page(last, limit))
                        : database.get());
    }

    @Override
    public Mono<Void> createUpload(UploadSession session) {
        return delegate.createUpload(session);
    }

    @Override
    public Mono<UploadSession> findUpload(String id) {
        return delegate.findUpload(id);
    }

    @Override
    public Mono<Void> touchUpload(String id, Instant when) {
        return delegate.touchUpload(id, when);
    }

    @Override
    public Mono<Boolean> deleteUpload(String id) {
        return delegate.deleteUpload(id);
    }

    @Override
    public Mono<Void> close() {
        return delegate.close();
    }
}
