package dev.berth.it;

import static dev.berth.it.Api.uploads;
import static dev.berth.it.RegistryClient.OCTET_STREAM;
import static dev.berth.it.RegistryClient.digest;
import static dev.berth.it.Responses.describe;
import static dev.berth.it.Responses.header;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import dev.berth.it.PushLedger.Image;
import dev.berth.it.PushLedger.OpenUpload;
import dev.berth.it.PushLedger.SeededBlob;

/**
 * One client of a crash test: pushes images (a config and one to three layers of 1 KiB to
 * 4 MiB, each either in one {@code POST ?digest=} or in two or three ranged PATCHes and a PUT,
 * then a manifest by tag) until the server goes away, writing every acknowledgement into the
 * {@link PushLedger}. A broken connection ends the client quietly once the kill began; a status
 * no correct registry answers ends it with a failure in the ledger.
 */
final class CrashPusher implements Runnable {
    private static final int MAX_IMAGES = 500;
    private static final int MIN_SIZE = 1024;
    private static final int MAX_SIZE = 4 * 1024 * 1024;

    private final RegistryClient registry;
    private final PushLedger ledger;
    private final String repo;
    private final String tagPrefix;
    private final Random random;
    private final long deadline;
    private OpenUpload open;

    /**
     * @param tagPrefix a prefix no other client uses, so each acknowledged tag names one manifest
     * @param deadlineNanos a {@link System#nanoTime} past which the client starts no new image
     */
    CrashPusher(RegistryClient registry, PushLedger ledger, String repo, String tagPrefix,
            long seed, long deadlineNanos) {
        this.registry = registry;
        this.ledger = ledger;
        this.repo = repo;
        this.tagPrefix = tagPrefix;
        this.random = new Random(seed);
        this.deadline = deadlineNanos;
    }

    @Override
    public void run() {
        try {
            for (int image = 0; image < MAX_IMAGES && System.nanoTime() < deadline; image++) {
                pushImage(tagPrefix + "-" + image);
            }
        } catch (UncheckedIOException e) {
            ledger.connectionLost(tagPrefix, e);
            if (open != null) {
                ledger.interrupted(open);
            }
        } catch (UnexpectedResponse e) {
            ledger.unexpected(tagPrefix + ": " + e.getMessage());
        }
    }

    private void pushImage(String tag) {
        byte[] config = Manifests.config().getBytes(StandardCharsets.UTF_8);
        Descriptor configDescriptor = new Descriptor(MediaTypes.OCI_CONFIG, digest(config),
                config.length);
        pushMonolithic(config, configDescriptor.digest());
        int layerCount = 1 + random.nextInt(3);
        List<Descriptor> layers = new ArrayList<>();
        for (int i = 0; i < layerCount; i++) {
            layers.add(pushLayer(new SeededBlob(random.nextLong(), randomSize())));
        }
        byte[] body = Manifests.image(configDescriptor, layers.toArray(Descriptor[]::new))
                .getBytes(StandardCharsets.UTF_8);

        HttpResponse<byte[]> response = registry.putManifest(repo, tag, MediaTypes.OCI_MANIFEST,
                body);

        expect(response, 201);
        List<String> blobs = new ArrayList<>(List.of(configDescriptor.digest()));
        layers.forEach(layer -> blobs.add(layer.digest()));
        ledger.imageAcknowledged(new Image(repo, tag, digest(body), body, blobs));
    }

    /** A size between 1 KiB and 4 MiB, spread evenly on a log scale so most blobs are small. */
    private int randomSize() {
        double low = Math.log(MIN_SIZE);
        double high = Math.log(MAX_SIZE);
        return (int) Math.round(Math.exp(low + random.nextDouble() * (high - low)));
    }

    private Descriptor pushLayer(SeededBlob blob) {
        byte[] bytes = blob.bytes();
        String digest = digest(bytes);
        if (random.nextBoolean()) {
            pushMonolithic(bytes, digest);
        } else {
            pushChunked(blob, bytes, digest);
        }
        return new Descriptor(MediaTypes.OCI_LAYER, digest, bytes.length);
    }

    private void pushMonolithic(byte[] bytes, String digest) {
        ledger.attempted(repo, digest);

        HttpResponse<byte[]> response = registry.post(uploads(repo) + "?digest=" + digest, bytes,
                "Content-Type", OCTET_STREAM);

        expect(response, 201);
        ledger.blobAcknowledged(repo, digest);
    }

    /** Two or three ranged PATCHes; the last part goes in the PUT every other time. */
    private void pushChunked(SeededBlob blob, byte[] bytes, String digest) {
        ledger.attempted(repo, digest);
        HttpResponse<byte[]> started = registry.post(uploads(repo), new byte[0]);
        expect(started, 202);
        open = new OpenUpload(repo, header(started, "Location"), blob);
        int parts = 2 + random.nextInt(2);
        boolean lastInPut = random.nextBoolean();
        int patches = lastInPut ? parts - 1 : parts;
        int from = 0;
        for (int part = 0; part < patches; part++) {
            int to = (int) ((long) bytes.length * (part + 1) / parts);
            HttpResponse<byte[]> chunk = registry.patch(open.location(),
                    Arrays.copyOfRange(bytes, from, to), "Content-Type", OCTET_STREAM,
                    "Content-Range", from + "-" + (to - 1));
            expect(chunk, 202);
            open = new OpenUpload(repo, header(chunk, "Location"), blob);
            from = to;
        }

        HttpResponse<byte[]> committed = registry.commit(open.location(), digest,
                Arrays.copyOfRange(bytes, from, bytes.length));

        expect(committed, 201);
        open = null;
        ledger.blobAcknowledged(repo, digest);
    }

    private static void expect(HttpResponse<byte[]> response, int status) {
        if (response.statusCode() != status) {
            throw new UnexpectedResponse("expected " + status + ": " + describe(response));
        }
    }

    /** A response no correct registry gives at this step of a push. */
    private static final class UnexpectedResponse extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnexpectedResponse(String message) {
            super(message);
        }
    }
}
