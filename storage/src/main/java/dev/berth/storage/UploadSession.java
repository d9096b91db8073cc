package dev.berth.storage;

import java.time.Instant;

import dev.berth.core.RepositoryName;

/**
 * A blob upload in progress: the id in its URL, the repository it was started for, and when it
 * started and last saw traffic. The bytes received so far are in the {@link BlobStore}.
 *
 * @param id the upload's id, a random UUID
 * @param repository the repository the upload belongs to
 * @param startedAt when the session was created
 * @param touchedAt when the session last received bytes
 */
public record UploadSession(String id, RepositoryName repository, Instant startedAt, Instant touchedAt) {
}
