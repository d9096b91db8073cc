package dev.berth.storage;

import java.nio.file.Path;

import dev.berth.core.Digest;
import io.netty.buffer.ByteBuf;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Blob bytes, addressed by digest, and the files of uploads in progress. A blob becomes visible
 * only after its bytes matched its digest; a partial or mismatched upload is never readable.
 */
public interface BlobStore {

    /** Creates the empty file of a new upload. */
    Mono<Void> createUpload(String uploadId);

    /** The number of bytes an upload holds, or empty when there is no such upload. */
    Mono<Long> uploadSize(String uploadId);

    /** {@link #append}'s offset for a body that goes at the end of whatever the upload holds. */
    long AT_END = -1;

    /**
     * Appends a body to an upload, chunk by chunk in order, hashing as it writes. Each buffer is
     * released once written. Fails with {@code BLOB_UPLOAD_UNKNOWN} when there is no such upload,
     * and with {@code BLOB_UPLOAD_INVALID} and status 416 when the upload does not hold exactly
     * {@code expectedOffset} bytes (unless that is {@link #AT_END}), or when another append to it
     * is still running.
     *
     * @return the upload's size after the append
     */
    default Mono<Long> append(String uploadId, long expectedOffset, Flux<ByteBuf> body) {
        return append(uploadId, expectedOffset, UNKNOWN_LENGTH, body);
    }

    /** {@link #append}'s length for a body whose length was not announced. */
    long UNKNOWN_LENGTH = -1;

    /**
     * {@link #append(String, long, Flux)} for a body announced as {@code length} bytes long (its
     * {@code Content-Length}), or {@link #UNKNOWN_LENGTH}. The length only tunes how the bytes
     * are written, so the answer comes sooner after the last byte; a body of another length is
     * still stored exactly as received.
     */
    Mono<Long> append(String uploadId, long expectedOffset, long length, Flux<ByteBuf> body);

    /**
     * Finishes an upload: checks its bytes against {@code expected} and moves them into place.
     * On a mismatch the bytes are discarded and the result fails with {@code DIGEST_INVALID}.
     * When the blob is already stored, the upload is dropped and the stored file kept.
     *
     * @return the blob's size
     */
    Mono<Long> commit(String uploadId, Digest expected);

    /** Deletes an upload's bytes; completes when done, also when there were none. */
    Mono<Void> deleteUpload(String uploadId);

    /** The file holding a blob, or empty when the blob is not stored. */
    Mono<Path> find(Digest digest);
}
