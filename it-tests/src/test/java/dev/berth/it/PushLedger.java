package dev.berth.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the clients of a crash test were told was stored, what they tried to store, and which
 * upload sessions they left open when the server died. Shared by all the clients; thread-safe.
 *
 * <p>A push counts as acknowledged only once its final {@code 201 Created} arrived: those are
 * the pushes the registry must never lose. Everything else may or may not have been stored.
 */
final class PushLedger {
    private final Queue<Image> images = new ConcurrentLinkedQueue<>();
    private final Map<String, String> acknowledgedBlobs = new ConcurrentHashMap<>();
    private final Map<String, String> attemptedBlobs = new ConcurrentHashMap<>();
    private final Queue<OpenUpload> openUploads = new ConcurrentLinkedQueue<>();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean killing = new AtomicBoolean();
    private volatile CountDownLatch firstImage = new CountDownLatch(1);

    /** Starts a cycle: the server runs, and the next acknowledged image opens the kill window. */
    CountDownLatch startCycle() {
        killing.set(false);
        firstImage = new CountDownLatch(1);
        return firstImage;
    }

    /** From now on, connection failures are the kill's doing and no longer a failure. */
    void killing() {
        killing.set(true);
    }

    void attempted(String repo, String digest) {
        attemptedBlobs.put(digest, repo);
    }

    void blobAcknowledged(String repo, String digest) {
        acknowledgedBlobs.put(digest, repo);
    }

    void imageAcknowledged(Image image) {
        images.add(image);
        firstImage.countDown();
    }

    /** An upload session the client could not finish because its connection broke. */
    void interrupted(OpenUpload upload) {
        openUploads.add(upload);
    }

    /** A connection that broke: expected once the kill began, a failure before. */
    void connectionLost(String what, Exception error) {
        if (!killing.get()) {
            failures.add(what + " lost its connection before the kill: " + error);
        }
    }

    /** A response the registry must never give, such as a 500. */
    void unexpected(String description) {
        failures.add(description);
    }

    /** Hands over the sessions left open so far, and forgets them. */
    List<OpenUpload> takeOpenUploads() {
        List<OpenUpload> taken = new ArrayList<>();
        for (OpenUpload upload = openUploads.poll(); upload != null; upload = openUploads.poll()) {
            taken.add(upload);
        }
        return taken;
    }

    List<Image> images() {
        return List.copyOf(images);
    }

    /** Digests of acknowledged blobs, each with a repository it was pushed to. */
    Map<String, String> acknowledgedBlobs() {
        return Map.copyOf(acknowledgedBlobs);
    }

    /** Digests of every blob a client began to push, acknowledged or not. */
    Map<String, String> attemptedBlobs() {
        return Map.copyOf(attemptedBlobs);
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    /** An acknowledged manifest push: its exact bytes and the blobs it references. */
    record Image(String repo, String tag, String digest, byte[] manifest, List<String> blobs) {
    }

    /**
     * An upload session left open at {@code location}, for a blob whose bytes {@code blob} makes
     * again.
     */
    record OpenUpload(String repo, String location, SeededBlob blob) {
    }

    /** Random bytes made from a seed, so they can be dropped and made again to resume an upload. */
    record SeededBlob(long seed, int size) {
        byte[] bytes() {
            byte[] bytes = new byte[size];
            new Random(seed).nextBytes(bytes);
            return bytes;
        }
    }
}
