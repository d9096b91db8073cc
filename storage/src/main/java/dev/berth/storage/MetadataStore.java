package dev.berth.storage;

import java.time.Instant;

import dev.berth.core.Descriptor;
import dev.berth.core.Digest;
import dev.berth.core.Manifest;
import dev.berth.core.RepositoryName;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The registry's metadata: repositories, which blobs each repository holds, manifests, tags and
 * upload sessions. Every write is one transaction; lookups named {@code find*} complete empty when
 * there is nothing to find.
 */
public interface MetadataStore {

    /** The size of a blob linked to {@code repository}, or empty when it is not linked there. */
    Mono<Long> findBlobSize(RepositoryName repository, Digest digest);

    /** The size of a blob stored for any repository, or empty when the registry lacks it. */
    Mono<Long> findBlobSizeAnywhere(Digest digest);

    /**
     * Records a blob and links it to {@code repository}, creating the repository if needed. Linking
     * a blob that is already linked succeeds and only renews the link's time, which restarts its
     * grace period in garbage collection. Fails with {@code BLOB_UPLOAD_INVALID}, a retryable error,
     * when garbage collection is removing the blob's bytes (see {@link GarbageCollector}).
     */
    Mono<Void> linkBlob(RepositoryName repository, Digest digest, long size);

    /** Removes a blob from {@code repository}; emits whether it was linked there. */
    Mono<Boolean> unlinkBlob(RepositoryName repository, Digest digest);

    /**
     * Stores a manifest and, when {@code tag} is not null, points the tag at it, in one
     * transaction. Fails with {@code MANIFEST_BLOB_UNKNOWN} when a blob the manifest needs is not
     * linked to the repository, or a child manifest of an index is not stored there.
     */
    Mono<Void> putManifest(RepositoryName repository, ManifestRecord record, Manifest parsed, String tag);

    /** A manifest stored in {@code repository}, or empty. */
    Mono<ManifestRecord> findManifest(RepositoryName repository, Digest digest);

    /** The digest a tag points at, or empty. */
    Mono<Digest> findTag(RepositoryName repository, String tag);

    /**
     * A manifest of {@code repository} when this store holds it in memory, else {@code null}.
     * It never waits, so an event loop may call it; {@code null} says nothing about whether the
     * manifest exists, and {@link #findManifest} gives the full answer.
     */
    default ManifestRecord peekManifest(RepositoryName repository, Digest digest) {
        return null;
    }

    /** The digest of a tag when this store holds it in memory, else {@code null}; see {@link #peekManifest}. */
    default Digest peekTag(RepositoryName repository, String tag) {
        return null;
    }

    /** Removes a manifest and every tag pointing at it; emits whether it existed. */
    Mono<Boolean> deleteManifest(RepositoryName repository, Digest digest);

    /** Removes a tag, leaving its manifest; emits whether the tag existed. */
    Mono<Boolean> deleteTag(RepositoryName repository, String tag);

    /**
     * Up to {@code limit} manifests of {@code repository} whose {@code subject} is {@code subject},
     * ordered by digest and starting after {@code last}, as descriptors carrying their artifact
     * type and annotations. With {@code artifactType} not null, only manifests of that type.
     */
    Flux<Descriptor> listReferrers(RepositoryName repository, Digest subject, String artifactType, Digest last,
            int limit);

    /** Whether the registry knows {@code repository}. */
    Mono<Boolean> existsRepository(RepositoryName repository);

    /** Up to {@code limit} tags of {@code repository} sorting after {@code last}, in lexical order. */
    Flux<String> listTags(RepositoryName repository, String last, int limit);

    /** Up to {@code limit} repository names sorting after {@code last}, in lexical order. */
    Flux<String> listRepositories(String last, int limit);

    /** Records a new upload session. */
    Mono<Void> createUpload(UploadSession session);

    /** An upload session, or empty when it is unknown, finished or cancelled. */
    Mono<UploadSession> findUpload(String id);

    /** Notes traffic on an upload session. */
    Mono<Void> touchUpload(String id, Instant when);

    /** Forgets an upload session; emits whether it existed. */
    Mono<Boolean> deleteUpload(String id);

    /**
     * Links the blob an upload session just stored, as {@link #linkBlob} does, and forgets the
     * session, as {@link #deleteUpload} does, in one write: either both happen or neither. A
     * finished upload thus costs the single database writer one transaction instead of two.
     */
    Mono<Void> linkUploadedBlob(RepositoryName repository, Digest digest, long size, String uploadId);

    /** Releases connections; the store cannot be used afterwards. */
    Mono<Void> close();
}
