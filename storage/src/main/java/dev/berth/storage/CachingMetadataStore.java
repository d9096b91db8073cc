package dev.berth.storage;

import java.time.Instant;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.berth.core.Descriptor;
import dev.berth.core.Digest;
import dev.berth.core.Manifest;
import dev.berth.core.RepositoryName;

/**
 * A {@link MetadataStore} that answers manifest and tag lookups from a {@link ManifestCache} and
 * passes everything else through. Writes go to the database first; the cache is invalidated only
 * after they committed, and invalidated again after they fail, since a failed commit may still
 * have been applied.
 */
final class CachingMetadataStore implements MetadataStore {
    private final MetadataStore delegate;
    private final ManifestCache cache;

    CachingMetadataStore(MetadataStore delegate, ManifestCache cache) {
        this.delegate = delegate;
        this.cache = cache;
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
    public Mono<Void> putManifest(RepositoryName repository, ManifestRecord record, Manifest parsed, String tag) {
        Mono<Void> put = delegate.putManifest(repository, record, parsed, tag);
        if (tag == null) {
            return put;
        }
        return invalidating(put, () -> cache.invalidateTag(repository, tag));
    }

    @Override
    public Mono<Boolean> deleteManifest(RepositoryName repository, Digest digest) {
        return invalidating(delegate.deleteManifest(repository, digest), () -> {
            cache.invalidateManifest(repository, digest);
            cache.invalidateTags(repository);
        });
    }

    @Override
    public Mono<Boolean> deleteTag(RepositoryName repository, String tag) {
        return invalidating(delegate.deleteTag(repository, tag), () -> cache.invalidateTag(repository, tag));
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
        return delegate.linkBlob(repository, digest, size);
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
        return delegate.existsRepository(repository);
    }

    @Override
    public Flux<String> listTags(RepositoryName repository, String last, int limit) {
        return delegate.listTags(repository, last, limit);
    }

    @Override
    public Flux<String> listRepositories(String last, int limit) {
        return delegate.listRepositories(last, limit);
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
