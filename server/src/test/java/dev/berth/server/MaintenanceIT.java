package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import dev.berth.core.Digest;

/**
 * Garbage collection through the server, with no grace period: what no tag reaches goes, what a
 * tag reaches stays, a dry run changes nothing, and the metrics count what was freed.
 */
class MaintenanceIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;

    private static RegistryServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        ConfigFile.Gc gc = new ConfigFile.Gc("0s", "0s", "0s", true, List.of());
        ServerConfig config = new ServerConfig("127.0.0.1", 0, data, null, null, null, null, gc, null, null);
        server = RegistryServer.start(config, Clock.systemUTC()).block(TIMEOUT);
        client = HttpClient.create().baseUrl("http://127.0.0.1:" + server.port());
    }

    @AfterAll
    static void stop() {
        server.stop().block(TIMEOUT);
    }

    @Test
    void adminGc_untaggedImage_collectedWhileTaggedImageStays() throws Exception {
        Digest kept = pushImage("gc/app", "kept-layer", "v1");
        Digest dropped = pushImage("gc/app", "dropped-layer", null);

        JsonNode dry = gc(true);
        assertThat(dry.get("manifestsDeleted").asInt()).isEqualTo(1);
        assertThat(status("/v2/gc/app/manifests/" + dropped)).isEqualTo(200);

        JsonNode report = gc(false);

        assertThat(report.get("manifestsDeleted").asInt()).isEqualTo(1);
        assertThat(report.get("blobsDeleted").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(report.get("bytesFreed").asLong()).isGreaterThan(0);
        assertThat(status("/v2/gc/app/manifests/" + dropped)).isEqualTo(404);
        assertThat(status("/v2/gc/app/blobs/" + Digest.sha256("dropped-layer"))).isEqualTo(404);
        assertThat(status("/v2/gc/app/manifests/v1")).isEqualTo(200);
        assertThat(status("/v2/gc/app/blobs/" + Digest.sha256("kept-layer"))).isEqualTo(200);
        assertThat(kept).isNotEqualTo(dropped);
        String metrics = client.get().uri("/metrics").responseContent().aggregate().asString().block(TIMEOUT);
        assertThat(metrics).containsPattern("berth_gc_reclaimed_bytes_total [1-9]");
    }

    private static JsonNode gc(boolean dryRun) throws Exception {
        String body = client.post().uri("/admin/gc" + (dryRun ? "?dryRun=true" : ""))
                .responseSingle((response, content) -> content.asString())
                .block(TIMEOUT);
        return JSON.readTree(body);
    }

    private static Digest pushImage(String repository, String layer, String tag) {
        byte[] config = ("{\"layer\":\"" + layer + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] layerBytes = layer.getBytes(StandardCharsets.UTF_8);
        push(repository, config);
        push(repository, layerBytes);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + Digest.sha256(config) + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + Digest.sha256(layerBytes)
                + "\",\"size\":" + layerBytes.length + "}]}").getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(manifest);
        int status = client.put().uri("/v2/" + repository + "/manifests/" + (tag == null ? digest : tag))
                .send((request, outbound) -> {
                    request.header("Content-Type", "application/vnd.oci.image.manifest.v1+json");
                    return outbound.sendByteArray(Mono.just(manifest));
                })
                .responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
                .block(TIMEOUT);
        assertThat(status).isEqualTo(201);
        return digest;
    }

    private static void push(String repository, byte[] content) {
        int status = client.post().uri("/v2/" + repository + "/blobs/uploads/?digest=" + Digest.sha256(content))
                .send(Mono.just(Unpooled.wrappedBuffer(content)))
                .responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
                .block(TIMEOUT);
        assertThat(status).isEqualTo(201);
    }

    private static int status(String path) {
        return client.head().uri(path)
                .responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
                .block(TIMEOUT);
    }
}
