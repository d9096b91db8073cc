package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import dev.berth.core.Digest;

/**
 * The server in this JVM, so that Netty's leak detector (paranoid in tests) watches every buffer
 * the handlers touch: pushes and pulls in every style, including ones cut short by errors, must
 * leave no buffer unreleased.
 */
class RegistryServerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path data;

    private static RegistryServer server;
    private static HttpClient client;
    private static ListAppender<ILoggingEvent> leaks;

    @BeforeAll
    static void start() {
        leaks = new ListAppender<>();
        leaks.start();
        ((Logger) LoggerFactory.getLogger(ResourceLeakDetector.class)).addAppender(leaks);
        server = RegistryServer.start(new ServerConfig("127.0.0.1", 0, data), Clock.systemUTC()).block(TIMEOUT);
        client = HttpClient.create().baseUrl("http://127.0.0.1:" + server.port());
    }

    @AfterAll
    static void stop() {
        server.stop().block(TIMEOUT);
    }

    @Test
    void pushAndPull_everyUploadStyle_leavesNoBufferUnreleased() {
        byte[] layer = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(layer);
        byte[] config = "{\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(monolithic("leak/check", config)).isEqualTo(201);
        assertThat(chunked("leak/check", layer)).isEqualTo(201);
        assertThat(status(client.put().uri("/v2/leak/check/manifests/v1")
                .send((request, outbound) -> {
                    request.header("Content-Type", "application/vnd.oci.image.manifest.v1+json");
                    return outbound.sendByteArray(Mono.just(manifest(config, layer)));
                }))).isEqualTo(201);
        byte[] pulled = client.get().uri("/v2/leak/check/blobs/" + Digest.sha256(layer))
                .responseContent().aggregate().asByteArray().block(TIMEOUT);
        assertThat(pulled).isEqualTo(layer);
        assertThat(monolithic("leak/check", "wrong".getBytes(StandardCharsets.UTF_8),
                Digest.sha256("right"))).isEqualTo(400);

        assertThat(leakReports()).isEmpty();
    }

    @Test
    void pullBlob_moreAtOnceThanAreReadAhead_everyOneExactAndEveryBufferReleased() {
        byte[] layer = new byte[2 * ReadAheadFile.CHUNK + 4099];
        new Random(13).nextBytes(layer);
        assertThat(monolithic("many/pulls", layer)).isEqualTo(201);
        String uri = "/v2/many/pulls/blobs/" + Digest.sha256(layer);
        int pulls = BlobHandler.READ_AHEAD_RESPONSES + 8;
        long readAheadBefore = server.downloadsReadAheadSoFar();
        byte[] range = Arrays.copyOfRange(layer, ReadAheadFile.CHUNK - 5, ReadAheadFile.CHUNK + 7);

        // Past the read-ahead limit the rest go by sendfile; whole blobs and ranges alike.
        List<byte[]> pulled = Flux.range(0, pulls)
                .flatMap(i -> i % 4 == 3
                        ? client.headers(h -> h.set("Range", "bytes=" + (ReadAheadFile.CHUNK - 5) + "-"
                                        + (ReadAheadFile.CHUNK + 6)))
                                .get().uri(uri).responseContent().aggregate().asByteArray()
                        : client.get().uri(uri).responseContent().aggregate().asByteArray(), pulls)
                .collectList()
                .block(TIMEOUT);

        assertThat(pulled).hasSize(pulls);
        assertThat(pulled.stream().filter(bytes -> bytes.length == range.length))
                .hasSize(pulls / 4)
                .allSatisfy(bytes -> assertThat(bytes).isEqualTo(range));
        assertThat(pulled.stream().filter(bytes -> bytes.length != range.length))
                .allSatisfy(bytes -> assertThat(bytes).isEqualTo(layer));
        assertThat(server.downloadsReadAheadSoFar() - readAheadBefore).as("downloads read ahead").isPositive();
        awaitNoDownloadsReadAhead();
        assertThat(leakReports()).isEmpty();
    }

    @Test
    void pullBlob_clientGoesAwayMidway_freesItsReadAheadAndServesTheNext() {
        byte[] layer = new byte[8 * ReadAheadFile.CHUNK];
        new Random(17).nextBytes(layer);
        assertThat(monolithic("cut/short", layer)).isEqualTo(201);
        String uri = "/v2/cut/short/blobs/" + Digest.sha256(layer);

        for (int i = 0; i < BlobHandler.READ_AHEAD_RESPONSES + 4; i++) {
            // Takes the first piece of the body, then closes the connection.
            HttpClient.create().baseUrl("http://127.0.0.1:" + server.port())
                    .get().uri(uri).responseContent().take(1).then().block(TIMEOUT);
        }
        awaitNoDownloadsReadAhead();

        byte[] pulled = client.get().uri(uri).responseContent().aggregate().asByteArray().block(TIMEOUT);
        assertThat(pulled).isEqualTo(layer);
        assertThat(leakReports()).isEmpty();
    }

    @Test
    void headManifest_returnsRealContentLengthWithoutBody() {
        byte[] config = "{\"head\":true}".getBytes(StandardCharsets.UTF_8);
        monolithic("head/check", config);
        byte[] manifest = manifest(config, null);
        status(client.put().uri("/v2/head/check/manifests/v1")
                .send((request, outbound) -> outbound.sendByteArray(Mono.just(manifest))));

        String length = client.head().uri("/v2/head/check/manifests/v1")
                .response()
                .map(response -> response.responseHeaders().get("Content-Length"))
                .block(TIMEOUT);

        assertThat(length).isEqualTo(String.valueOf(manifest.length));
    }

    @Test
    void metrics_afterRequests_prometheusTextWithRouteTags() {
        monolithic("metrics/check", "m".getBytes(StandardCharsets.UTF_8));

        String text = client.get().uri("/metrics").responseContent().aggregate().asString().block(TIMEOUT);

        assertThat(text).contains("jvm_memory_used_bytes")
                .contains("berth_gc_reclaimed_bytes_total")
                // Other tests in this class push too, so the count is at least this test's one.
                .containsPattern("http_server_requests_seconds_count\\{method=\"POST\",status=\"201\","
                        + "uri=\"/v2/\\{name\\}/blobs/uploads/\"\\} [1-9]")
                .doesNotContain("metrics/check");
    }

    @Test
    void get_malformedPercentEscape_400WithOciErrorAndConnectionStillServes() {
        String body = client.get().uri("/v2/bad%zzname/tags/list")
                .responseSingle((response, content) -> content.asString()
                        .map(text -> response.status().code() + " " + text))
                .block(TIMEOUT);

        assertThat(body).startsWith("400 ").contains("\"code\":\"UNSUPPORTED\"").contains("percent-escapes");
        assertThat(status(client.get().uri("/healthz"))).isEqualTo(200);
    }

    @Test
    void probes_runningServer_ok() {
        assertThat(status(client.get().uri("/healthz"))).isEqualTo(200);
        assertThat(status(client.get().uri("/readyz"))).isEqualTo(200);
    }

    private static int monolithic(String repository, byte[] content) {
        return monolithic(repository, content, Digest.sha256(content));
    }

    private static int monolithic(String repository, byte[] content, Digest digest) {
        return status(client.post().uri("/v2/" + repository + "/blobs/uploads/?digest=" + digest)
                .send(Mono.just(Unpooled.wrappedBuffer(content))));
    }

    private static int chunked(String repository, byte[] content) {
        String location = client.post().uri("/v2/" + repository + "/blobs/uploads/")
                .response()
                .map(response -> response.responseHeaders().get("Location"))
                .block(TIMEOUT);
        int half = content.length / 2;
        status(client.patch().uri(location).send(Flux.just(slice(content, 0, half))));
        return status(client.put().uri(location + "?digest=" + Digest.sha256(content))
                .send(Flux.just(slice(content, half, content.length))));
    }

    private static ByteBuf slice(byte[] content, int from, int to) {
        return Unpooled.copiedBuffer(content, from, to - from);
    }

    private static int status(HttpClient.ResponseReceiver<?> receiver) {
        return receiver.responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                        .thenReturn(response.status().code()))
                .block(TIMEOUT);
    }

    private static byte[] manifest(byte[] config, byte[] layer) {
        String layers = layer == null ? "" : "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
                + "\"digest\":\"" + Digest.sha256(layer) + "\",\"size\":" + layer.length + "}";
        return ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + Digest.sha256(config) + "\",\"size\":" + config.length + "},\"layers\":[" + layers + "]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Downloads give their read-ahead back once their connection has finished or gone. */
    private static void awaitNoDownloadsReadAhead() {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (server.downloadsReadAhead() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assertThat(server.downloadsReadAhead()).isZero();
    }

    /** Leak reports appear when leaked buffers are collected and new ones allocated afterwards. */
    private static List<ILoggingEvent> leakReports() {
        for (int round = 0; round < 5; round++) {
            System.gc();
            for (int i = 0; i < 200; i++) {
                PooledByteBufAllocator.DEFAULT.directBuffer(1024).release();
            }
        }
        return leaks.list.stream()
                .filter(event -> event.getFormattedMessage().contains("LEAK"))
                .toList();
    }
}
