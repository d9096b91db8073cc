package dev.berth.it;

import static dev.berth.it.Api.blob;
import static dev.berth.it.Api.manifest;
import static dev.berth.it.DataDirectoryChecks.blobFilesNotMatchingTheirNames;
import static dev.berth.it.DataDirectoryChecks.disagreements;
import static dev.berth.it.DataDirectoryChecks.integrityCheck;
import static dev.berth.it.DataDirectoryChecks.tempFiles;
import static dev.berth.it.RegistryClient.OCTET_STREAM;
import static dev.berth.it.RegistryClient.digest;
import static dev.berth.it.Responses.assertError;
import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.berth.it.PushLedger.Image;
import dev.berth.it.PushLedger.OpenUpload;
import dev.berth.it.PushLedger.SeededBlob;

/**
 * The server killed with SIGKILL in the middle of {@value #CLIENTS} clients pushing, then
 * started again on the same data directory, {@value #KILLS} times over. Afterwards every push
 * the registry acknowledged is there byte for byte, no blob is served or stored under a digest
 * its bytes do not have, the database is sound, and an upload left open by a kill either
 * continues or is unknown, never an error.
 *
 * <p>Each kill comes a random 200 to 1500 ms after the cycle's first acknowledged image, when
 * the clients are mid-push. The moments come from a seed, printed with the test's output, that
 * {@code -Dberth.it.crash.seed=N} replaces to replay a run.
 *
 * <p>Limitation: SIGKILL leaves what the server wrote in the page cache, so this shows nothing
 * about a power cut, where only what was forced to disk survives.
 */
final class CrashSafetyIT {
    private static final String SEED_PROPERTY = "berth.it.crash.seed";
    private static final long DEFAULT_SEED = 20_260_301L;
    private static final int CLIENTS = 16;
    private static final int REPOSITORIES = 4;
    private static final int KILLS = 4;
    private static final int MIN_KILL_DELAY_MS = 200;
    private static final int MAX_KILL_DELAY_MS = 1500;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration FIRST_IMAGE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
    private static final int PARKED_SIZE = 256 * 1024;
    private static final Pattern RECOVERY = Pattern.compile("recovery finished deletions=\\d+"
            + " tempFiles=\\d+ uploadFiles=\\d+ uploadRows=\\d+ blobFiles=\\d+ blobRows=\\d+"
            + " ms=\\d+");
    private static final Pattern RANGE = Pattern.compile("0-(\\d+)");

    @TempDir
    Path temp;

    private final PushLedger ledger = new PushLedger();
    private final List<String> story = new ArrayList<>();

    @Test
    void sigkill_duringConcurrentPushes_acknowledgedPushesSurviveIntact() throws Exception {
        long seed = Long.getLong(SEED_PROPERTY, DEFAULT_SEED);
        Random random = new Random(seed);
        Path data = temp.resolve("data");
        story.add("seed=" + seed);
        BerthProcess berth = BerthProcess.start(data);
        try {
            for (int cycle = 1; cycle <= KILLS; cycle++) {
                pushAndKill(berth, cycle, killDelay(random), random.nextLong());
                assertThat(blobFilesNotMatchingTheirNames(data)).as(this::story).isEmpty();
                assertThat(integrityCheck(data)).as(this::story).isEqualTo("ok");

                berth = berth.restart();

                assertRecovered(berth, data);
                resumeOpenUploads(new RegistryClient(berth.baseUri(), REQUEST_TIMEOUT));
            }
            RegistryClient registry = new RegistryClient(berth.baseUri(), REQUEST_TIMEOUT);
            assertThat(ledger.failures()).as(this::story).isEmpty();
            assertThat(ledger.images()).as(this::story).isNotEmpty();
            assertImagesIntact(registry);
            assertBlobsIntact(registry);
        } finally {
            berth.close();
            System.out.println("CrashSafetyIT " + story());
        }

        assertThat(blobFilesNotMatchingTheirNames(data)).as(this::story).isEmpty();
        assertThat(tempFiles(data)).as(this::story).isEmpty();
        assertThat(integrityCheck(data)).as(this::story).isEqualTo("ok");
        assertThat(disagreements(data)).as(this::story).isEmpty();
    }

    private static int killDelay(Random random) {
        return MIN_KILL_DELAY_MS + random.nextInt(MAX_KILL_DELAY_MS - MIN_KILL_DELAY_MS + 1);
    }

    /**
     * Parks one upload with a chunk received, starts the clients, waits for the first
     * acknowledged image, then {@code delayMillis} more (less if every client stopped), and kills
     * the server.
     */
    private void pushAndKill(BerthProcess berth, int cycle, int delayMillis, long seed)
            throws Exception {
        RegistryClient registry = new RegistryClient(berth.baseUri(), REQUEST_TIMEOUT);
        CountDownLatch firstImage = ledger.startCycle();
        ledger.interrupted(parkUpload(registry, "crash/parked", new SeededBlob(seed, PARKED_SIZE)));
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> clients = startClients(pool, registry, cycle, seed);
            assertThat(firstImage.await(FIRST_IMAGE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .as(() -> "an image acknowledged in cycle " + cycle + "; failures: "
                            + ledger.failures() + "\n" + story())
                    .isTrue();
            long anchor = System.nanoTime();
            pool.shutdown();
            pool.awaitTermination(delayMillis, TimeUnit.MILLISECONDS);

            ledger.killing();
            long killedAfter = (System.nanoTime() - anchor) / 1_000_000;
            berth.kill();

            assertThat(pool.awaitTermination(CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .as(() -> "clients stopped after the kill of cycle " + cycle)
                    .isTrue();
            for (Future<?> client : clients) {
                client.get(0, TimeUnit.SECONDS);
            }
            story.add(String.format("cycle %d: SIGKILL pid %d %d ms (planned %d) after the first"
                    + " acknowledged image; acknowledged so far: %d images, %d blobs", cycle,
                    berth.pid(), killedAfter, delayMillis, ledger.images().size(),
                    ledger.acknowledgedBlobs().size()));
        } finally {
            pool.shutdownNow();
        }
    }

    private List<Future<?>> startClients(ExecutorService pool, RegistryClient registry, int cycle,
            long seed) {
        Random seeds = new Random(seed);
        long deadline = System.nanoTime() + CLIENT_TIMEOUT.toNanos();
        List<Future<?>> clients = new ArrayList<>();
        for (int client = 0; client < CLIENTS; client++) {
            String repo = "crash/repo-" + client % REPOSITORIES;
            String tagPrefix = "c" + cycle + "-w" + client;
            clients.add(pool.submit(new CrashPusher(registry, ledger, repo, tagPrefix,
                    seeds.nextLong(), deadline)));
        }
        return clients;
    }

    /** Opens an upload and sends the first half of {@code blob}, acknowledged with 202. */
    private static OpenUpload parkUpload(RegistryClient registry, String repo, SeededBlob blob) {
        String location = registry.startUpload(repo);
        byte[] half = Arrays.copyOf(blob.bytes(), blob.size() / 2);

        HttpResponse<byte[]> chunk = registry.patch(location, half, "Content-Type", OCTET_STREAM,
                "Content-Range", "0-" + (half.length - 1));

        assertStatus(chunk, 202);
        return new OpenUpload(repo, header(chunk, "Location"), blob);
    }

    private void assertRecovered(BerthProcess berth, Path data) {
        Matcher recovery = RECOVERY.matcher(berth.recentOutput());
        assertThat(recovery.find())
                .as(() -> "start-up recovery line after restart; output:\n" + berth.recentOutput())
                .isTrue();
        story.add("restart: " + recovery.group());
        assertThat(tempFiles(data)).as(this::story).isEmpty();
    }

    /**
     * Asks where each upload left open by a kill stands: unknown (404 BLOB_UPLOAD_UNKNOWN), or
     * holding a prefix of its bytes, in which case the rest is sent and the blob committed.
     */
    private void resumeOpenUploads(RegistryClient registry) {
        int resumed = 0;
        int unknown = 0;
        for (OpenUpload upload : ledger.takeOpenUploads()) {
            HttpResponse<byte[]> status = registry.get(upload.location());
            if (status.statusCode() == 404) {
                assertError(status, 404, "BLOB_UPLOAD_UNKNOWN");
                unknown++;
            } else {
                assertStatus(status, 204);
                resume(registry, upload, header(status, "Location"), received(status));
                resumed++;
            }
        }
        story.add("open uploads: " + resumed + " resumed, " + unknown + " unknown");
    }

    private void resume(RegistryClient registry, OpenUpload upload, String location, int received) {
        byte[] bytes = upload.blob().bytes();
        assertThat(received).as(() -> "bytes held by " + upload).isBetween(0, bytes.length);
        String next = location;
        if (received < bytes.length) {
            HttpResponse<byte[]> rest = registry.patch(location,
                    Arrays.copyOfRange(bytes, received, bytes.length), "Content-Type", OCTET_STREAM,
                    "Content-Range", received + "-" + (bytes.length - 1));
            assertStatus(rest, 202);
            next = header(rest, "Location");
        }

        HttpResponse<byte[]> committed = registry.commit(next, digest(bytes), new byte[0]);

        assertStatus(committed, 201);
        ledger.blobAcknowledged(upload.repo(), digest(bytes));
    }

    /**
     * The byte count a {@code Range: 0-<last>} header stands for. {@code 0-0} is taken as none
     * received: the chunks sent here are far longer than one byte.
     */
    private static int received(HttpResponse<byte[]> status) {
        Matcher range = RANGE.matcher(String.valueOf(header(status, "Range")));
        assertThat(range.matches()).as(() -> Responses.describe(status)).isTrue();
        int last = Integer.parseInt(range.group(1));
        return last == 0 ? 0 : last + 1;
    }

    private void assertImagesIntact(RegistryClient registry) {
        for (Image image : ledger.images()) {
            HttpResponse<byte[]> byTag = registry.get(manifest(image.repo(), image.tag()),
                    "Accept", MediaTypes.OCI_MANIFEST);
            HttpResponse<byte[]> byDigest = registry.get(manifest(image.repo(), image.digest()),
                    "Accept", MediaTypes.OCI_MANIFEST);

            assertStatus(byTag, 200);
            assertThat(byTag.body()).as(image.repo() + ":" + image.tag())
                    .isEqualTo(image.manifest());
            assertThat(header(byTag, "Docker-Content-Digest")).isEqualTo(image.digest());
            assertStatus(byDigest, 200);
            assertThat(byDigest.body()).isEqualTo(image.manifest());
            assertThat(ledger.acknowledgedBlobs())
                    .containsKeys(image.blobs().toArray(String[]::new));
        }
    }

    /**
     * Every acknowledged blob is served with bytes that hash to its digest; every other blob a
     * client began is either unknown or, if served, also intact.
     */
    private void assertBlobsIntact(RegistryClient registry) {
        Map<String, String> acknowledged = ledger.acknowledgedBlobs();
        Map<String, String> blobs = new HashMap<>(ledger.attemptedBlobs());
        blobs.putAll(acknowledged);
        for (Map.Entry<String, String> blob : blobs.entrySet()) {
            String path = blob(blob.getValue(), blob.getKey());
            HttpResponse<byte[]> head = registry.head(path);
            if (head.statusCode() == 404 && !acknowledged.containsKey(blob.getKey())) {
                continue;
            }

            HttpResponse<byte[]> pulled = registry.get(path);

            assertStatus(head, 200);
            assertStatus(pulled, 200);
            assertThat(digest(pulled.body())).as(path).isEqualTo(blob.getKey());
        }
        story.add(String.format("verified %d images, %d acknowledged blobs, %d blobs in all",
                ledger.images().size(), acknowledged.size(), blobs.size()));
    }

    private String story() {
        return String.join("\n", story);
    }
}
