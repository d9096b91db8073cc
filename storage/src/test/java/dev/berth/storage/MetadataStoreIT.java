package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import dev.berth.core.Digest;
import dev.berth.core.ErrorCode;
import dev.berth.core.Manifest;
import dev.berth.core.ManifestParser;
import dev.berth.core.MediaType;
import dev.berth.core.RegistryException;
import dev.berth.core.RepositoryName;

/** The metadata store over a real SQLite file, behind its cache, as the server uses it. */
class MetadataStoreIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final RepositoryName REPO = RepositoryName.of("team/app");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    @TempDir
    Path data;

    private Storage storage;
    private MetadataStore store;

    @BeforeEach
    void setUp() {
        storage = Storage.open(data, Storage.Settings.defaults(), CLOCK).block(TIMEOUT);
        store = storage.metadata();
    }

    @AfterEach
    void tearDown() {
        storage.close().block(TIMEOUT);
    }

    @Test
    void linkBlob_twice_linkedOnceWithSize() {
        Digest digest = stored("layer");

        store.linkBlob(REPO, digest, 5).then(store.linkBlob(REPO, digest, 5)).as(StepVerifier::create)
                .verifyComplete();

        store.findBlobSize(REPO, digest).as(StepVerifier::create).expectNext(5L).verifyComplete();
        store.findBlobSize(RepositoryName.of("other"), digest).as(StepVerifier::create).verifyComplete();
        store.findBlobSizeAnywhere(digest).as(StepVerifier::create).expectNext(5L).verifyComplete();
    }

    @Test
    void unlinkBlob_linked_removesOnlyThatLink() {
        Digest digest = stored("shared");
        RepositoryName other = RepositoryName.of("other/app");
        store.linkBlob(REPO, digest, 6).then(store.linkBlob(other, digest, 6)).block(TIMEOUT);

        store.unlinkBlob(REPO, digest).as(StepVerifier::create).expectNext(true).verifyComplete();

        store.findBlobSize(REPO, digest).as(StepVerifier::create).verifyComplete();
        store.findBlobSize(other, digest).as(StepVerifier::create).expectNext(6L).verifyComplete();
        store.unlinkBlob(REPO, digest).as(StepVerifier::create).expectNext(false).verifyComplete();
    }

    @Test
    void putManifest_blobsLinked_storesBytesAndTag() {
        ManifestRecord record = pushImage("v1", "config-a");

        store.findTag(REPO, "v1").as(StepVerifier::create).expectNext(record.digest()).verifyComplete();
        store.findManifest(REPO, record.digest()).as(StepVerifier::create)
                .assertNext(found -> {
                    assertThat(found.content()).isEqualTo(record.content());
                    assertThat(found.mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
                })
                .verifyComplete();
    }

    @Test
    void putManifest_blobMissing_failsManifestBlobUnknownAndStoresNothing() {
        byte[] bytes = image("config-missing");
        Manifest parsed = ManifestParser.parse(bytes, MediaType.OCI_MANIFEST);
        ManifestRecord record = new ManifestRecord(Digest.sha256(bytes), MediaType.OCI_MANIFEST, bytes);

        store.putManifest(REPO, record, parsed, "broken").as(StepVerifier::create)
                .expectErrorSatisfies(error -> assertThat(((RegistryException) error).code())
                        .isEqualTo(ErrorCode.MANIFEST_BLOB_UNKNOWN))
                .verify(TIMEOUT);

        store.findManifest(REPO, record.digest()).as(StepVerifier::create).verifyComplete();
        store.findTag(REPO, "broken").as(StepVerifier::create).verifyComplete();
    }

    @Test
    void putManifest_indexWithUnknownChild_failsManifestBlobUnknown() {
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_INDEX + "\",\"manifests\":[{"
                + "\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\",\"digest\":\"" + Digest.sha256("nope")
                + "\",\"size\":4}]}";
        byte[] bytes = index.getBytes(StandardCharsets.UTF_8);
        ManifestRecord record = new ManifestRecord(Digest.sha256(bytes), MediaType.OCI_INDEX, bytes);

        store.putManifest(REPO, record, ManifestParser.parse(bytes, null), null).as(StepVerifier::create)
                .expectErrorSatisfies(error -> assertThat(((RegistryException) error).code())
                        .isEqualTo(ErrorCode.MANIFEST_BLOB_UNKNOWN))
                .verify(TIMEOUT);
    }

    @Test
    void putManifest_retag_tagMovesAndCacheFollows() {
        ManifestRecord first = pushImage("latest", "config-1");
        store.findTag(REPO, "latest").block(TIMEOUT);

        ManifestRecord second = pushImage("latest", "config-2");

        store.findTag(REPO, "latest").as(StepVerifier::create).expectNext(second.digest()).verifyComplete();
        assertThat(second.digest()).isNotEqualTo(first.digest());
    }

    @Test
    void deleteManifest_tagged_removesManifestAndItsTags() {
        ManifestRecord record = pushImage("gone", "config-del");
        store.findTag(REPO, "gone").block(TIMEOUT);

        store.deleteManifest(REPO, record.digest()).as(StepVerifier::create).expectNext(true).verifyComplete();

        store.findManifest(REPO, record.digest()).as(StepVerifier::create).verifyComplete();
        store.findTag(REPO, "gone").as(StepVerifier::create).verifyComplete();
        store.deleteManifest(REPO, record.digest()).as(StepVerifier::create).expectNext(false).verifyComplete();
    }

    @Test
    void peek_answersOnlyWhatWasReadAndFollowsWrites() {
        ManifestRecord first = pushImage("peeked", "config-peek-1");
        assertThat(store.peekTag(REPO, "peeked")).isNull();
        assertThat(store.peekManifest(REPO, first.digest())).isNull();

        store.findTag(REPO, "peeked").block(TIMEOUT);
        store.findManifest(REPO, first.digest()).block(TIMEOUT);
        assertThat(store.peekTag(REPO, "peeked")).isEqualTo(first.digest());
        assertThat(store.peekManifest(REPO, first.digest()).content()).isEqualTo(first.content());

        ManifestRecord second = pushImage("peeked", "config-peek-2");
        assertThat(store.peekTag(REPO, "peeked")).isNull();

        store.deleteManifest(REPO, first.digest()).block(TIMEOUT);
        assertThat(store.peekManifest(REPO, first.digest())).isNull();
        store.findTag(REPO, "peeked").block(TIMEOUT);
        assertThat(store.peekTag(REPO, "peeked")).isEqualTo(second.digest());
    }

    @Test
    void deleteTag_tagged_keepsManifest() {
        ManifestRecord record = pushImage("temp", "config-tag");

        store.deleteTag(REPO, "temp").as(StepVerifier::create).expectNext(true).verifyComplete();

        store.findTag(REPO, "temp").as(StepVerifier::create).verifyComplete();
        store.findManifest(REPO, record.digest()).as(StepVerifier::create).expectNextCount(1).verifyComplete();
    }

    @Test
    void listTags_afterLast_lexicalPage() {
        for (String tag : List.of("b", "A", "a", "10", "2")) {
            pushImage(tag, "config-list-" + tag);
        }

        store.listTags(REPO, null, 10).collectList().as(StepVerifier::create)
                .expectNext(List.of("10", "2", "A", "a", "b"))
                .verifyComplete();
        store.listTags(REPO, "A", 2).collectList().as(StepVerifier::create)
                .expectNext(List.of("a", "b"))
                .verifyComplete();
    }

    @Test
    void listRepositories_afterLast_lexicalPage() {
        for (String name : List.of("zeta", "alpha/one", "alpha")) {
            store.linkBlob(RepositoryName.of(name), stored(name), 1).block(TIMEOUT);
        }

        store.listRepositories("alpha", 5).collectList().as(StepVerifier::create)
                .expectNext(List.of("alpha/one", "zeta"))
                .verifyComplete();
    }

    @Test
    void uploads_createTouchDelete_roundTrip() {
        Instant later = CLOCK.instant().plusSeconds(60);
        UploadSession session = new UploadSession("id-1", REPO, CLOCK.instant(), CLOCK.instant());

        store.createUpload(session).then(store.touchUpload("id-1", later)).as(StepVerifier::create)
                .verifyComplete();

        store.findUpload("id-1").as(StepVerifier::create)
                .expectNext(new UploadSession("id-1", REPO, CLOCK.instant(), later))
                .verifyComplete();
        store.deleteUpload("id-1").as(StepVerifier::create).expectNext(true).verifyComplete();
        store.findUpload("id-1").as(StepVerifier::create).verifyComplete();
    }

    @Test
    void linkUploadedBlob_linksTheBlobAndForgetsOnlyThatSession() {
        Digest digest = stored("uploaded");
        store.createUpload(new UploadSession("done", REPO, CLOCK.instant(), CLOCK.instant()))
                .then(store.createUpload(new UploadSession("other", REPO, CLOCK.instant(), CLOCK.instant())))
                .block(TIMEOUT);

        store.linkUploadedBlob(REPO, digest, 8, "done").as(StepVerifier::create).verifyComplete();

        store.findBlobSize(REPO, digest).as(StepVerifier::create).expectNext(8L).verifyComplete();
        store.findUpload("done").as(StepVerifier::create).verifyComplete();
        store.findUpload("other").as(StepVerifier::create).expectNextCount(1).verifyComplete();
    }

    @Test
    void putManifest_manyConcurrentWritersToOneTag_allSucceedAndTagIsOneOfThem() {
        List<ManifestRecord> records = IntStream.range(0, 24)
                .mapToObj(i -> prepareImage("config-race-" + i))
                .toList();

        Flux.fromIterable(records)
                .flatMap(record -> store.putManifest(REPO, record, parse(record), "race"), 24)
                .then()
                .as(StepVerifier::create)
                .verifyComplete();

        Digest tagged = store.findTag(REPO, "race").block(TIMEOUT);
        assertThat(records).extracting(ManifestRecord::digest).contains(tagged);
    }

    @Test
    void reopen_sameDirectory_seesSameDataWithColdCache() {
        ManifestRecord record = pushImage("persist", "config-persist");
        storage.close().block(TIMEOUT);

        storage = Storage.open(data, Storage.Settings.defaults(), CLOCK).block(TIMEOUT);

        storage.metadata().findTag(REPO, "persist").as(StepVerifier::create)
                .expectNext(record.digest())
                .verifyComplete();
    }

    private ManifestRecord pushImage(String tag, String config) {
        ManifestRecord record = prepareImage(config);
        store.putManifest(REPO, record, parse(record), tag).block(TIMEOUT);
        return record;
    }

    private ManifestRecord prepareImage(String config) {
        byte[] bytes = image(config);
        Digest configDigest = stored(config);
        Mono.when(store.linkBlob(REPO, configDigest, config.length()),
                store.linkBlob(REPO, stored("layer"), 5)).block(TIMEOUT);
        return new ManifestRecord(Digest.sha256(bytes), MediaType.OCI_MANIFEST, bytes);
    }

    /** Puts a blob file in place, as a finished upload would, so the blob may be linked. */
    private Digest stored(String content) {
        return TestBlobs.write(data, content.getBytes(StandardCharsets.UTF_8));
    }

    private static Manifest parse(ManifestRecord record) {
        return ManifestParser.parse(record.content(), record.mediaType());
    }

    private static byte[] image(String config) {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"" + MediaType.OCI_CONFIG + "\",\"digest\":\"" + Digest.sha256(config)
                + "\",\"size\":" + config.length() + "},"
                + "\"layers\":[{\"mediaType\":\"" + MediaType.OCI_LAYER_TAR_GZIP + "\",\"digest\":\""
                + Digest.sha256("layer") + "\",\"size\":5}]}";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
