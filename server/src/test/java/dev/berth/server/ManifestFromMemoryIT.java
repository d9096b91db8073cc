package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import dev.berth.core.Digest;

/**
 * Manifest pulls answered from memory on the network thread ({@link ManifestFastPath}), through
 * a real server in this JVM: the answer is the one the full request path gives, writes are seen
 * at once, and answers on a connection keep the order of its requests. Raw sockets, so every
 * header and byte the server sends is compared.
 */
class ManifestFromMemoryIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern FROM_MEMORY = Pattern.compile("(?m)^berth_manifests_from_memory_total ([0-9.eE+-]+)$");

    @TempDir
    static Path data;

    private static RegistryServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        server = RegistryServer.start(new ServerConfig("127.0.0.1", 0, data), Clock.systemUTC()).block(TIMEOUT);
        client = HttpClient.create().baseUrl("http://127.0.0.1:" + server.port());
    }

    @AfterAll
    static void stop() {
        server.stop().block(TIMEOUT);
    }

    @Test
    void pull_again_answeredFromMemoryWithTheSameHeadersAndBytes() throws IOException {
        byte[] manifest = pushImage("memory/same", "v1", "{\"same\":1}");
        String digest = Digest.sha256(manifest).toString();
        double before = fromMemory();

        try (Connection connection = new Connection()) {
            Answer first = connection.exchange("GET", "/v2/memory/same/manifests/v1");
            Answer second = connection.exchange("GET", "/v2/memory/same/manifests/v1");
            Answer byDigest = connection.exchange("GET", "/v2/memory/same/manifests/" + digest);
            Answer head = connection.exchange("HEAD", "/v2/memory/same/manifests/" + digest);

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).isEqualTo(manifest);
            assertThat(first.headers()).containsEntry("docker-content-digest", digest)
                    .containsEntry("content-length", String.valueOf(manifest.length))
                    .containsEntry("docker-distribution-api-version", "registry/2.0");
            for (Answer again : new Answer[] {second, byDigest}) {
                assertThat(again.status()).isEqualTo(200);
                assertThat(again.headers()).isEqualTo(first.headers());
                assertThat(again.body()).isEqualTo(manifest);
            }
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.headers()).isEqualTo(first.headers());
            assertThat(head.body()).isEmpty();
        }
        assertThat(fromMemory() - before).isEqualTo(3.0);
    }

    @Test
    void pull_afterDeleteAndRetag_answersWhatIsStoredNow() throws IOException {
        byte[] old = pushImage("memory/change", "v1", "{\"change\":1}");
        String oldDigest = Digest.sha256(old).toString();
        try (Connection connection = new Connection()) {
            connection.exchange("GET", "/v2/memory/change/manifests/v1");
            connection.exchange("GET", "/v2/memory/change/manifests/v1");

            byte[] moved = pushImage("memory/change", "v1", "{\"change\":2}");
            Answer retagged = connection.exchange("GET", "/v2/memory/change/manifests/v1");
            assertThat(retagged.status()).isEqualTo(200);
            assertThat(retagged.body()).isEqualTo(moved);

            assertThat(status(client.delete().uri("/v2/memory/change/manifests/" + oldDigest))).isEqualTo(202);
            Answer deleted = connection.exchange("HEAD", "/v2/memory/change/manifests/" + oldDigest);
            assertThat(deleted.status()).isEqualTo(404);
        }
    }

    @Test
    void pipelined_blobThenCachedManifests_answersInRequestOrder() throws IOException {
        byte[] manifest = pushImage("memory/order", "v1", "{\"order\":1}");
        String digest = Digest.sha256(manifest).toString();
        byte[] layer = new byte[2 * 1024 * 1024 + 3];
        new Random(11).nextBytes(layer);
        assertThat(status(client.post().uri("/v2/memory/order/blobs/uploads/?digest=" + Digest.sha256(layer))
                .send(Mono.just(Unpooled.wrappedBuffer(layer))))).isEqualTo(201);

        try (Connection connection = new Connection()) {
            connection.exchange("GET", "/v2/memory/order/manifests/v1");
            double before = fromMemory();

            // One write: a blob the full path streams, then two manifest pulls it could answer at once.
            connection.send(request("GET", "/v2/memory/order/blobs/" + Digest.sha256(layer))
                    + request("HEAD", "/v2/memory/order/manifests/" + digest)
                    + request("GET", "/v2/memory/order/manifests/v1"));
            Answer blob = connection.read(false);
            Answer head = connection.read(true);
            Answer get = connection.read(false);

            assertThat(blob.status()).isEqualTo(200);
            assertThat(blob.body()).isEqualTo(layer);
            assertThat(head.headers()).containsEntry("docker-content-digest", digest);
            assertThat(get.body()).isEqualTo(manifest);
            // Both waited for the blob's answer, so the full path answered them in turn.
            assertThat(fromMemory()).isEqualTo(before);

            assertThat(connection.exchange("HEAD", "/v2/memory/order/manifests/" + digest).status()).isEqualTo(200);
            assertThat(fromMemory()).isEqualTo(before + 1);
        }
    }

    @Test
    void pull_unknownOrInvalid_sameErrorsAsBefore() throws IOException {
        try (Connection connection = new Connection()) {
            Answer unknown = connection.exchange("GET", "/v2/memory/none/manifests/v1");
            Answer badName = connection.exchange("GET", "/v2/Memory/Bad/manifests/v1");

            assertThat(unknown.status()).isEqualTo(404);
            assertThat(new String(unknown.body(), StandardCharsets.UTF_8)).contains("MANIFEST_UNKNOWN");
            assertThat(badName.status()).isEqualTo(400);
            assertThat(new String(badName.body(), StandardCharsets.UTF_8)).contains("NAME_INVALID");
        }
    }

    /** Pushes a config blob and a manifest naming it under {@code tag}; returns the manifest. */
    private static byte[] pushImage(String repository, String tag, String config) {
        byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
        assertThat(status(client.post().uri("/v2/" + repository + "/blobs/uploads/?digest="
                + Digest.sha256(configBytes)).send(Mono.just(Unpooled.wrappedBuffer(configBytes))))).isEqualTo(201);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + Digest.sha256(configBytes) + "\",\"size\":" + configBytes.length + "},\"layers\":[]}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(status(client.put().uri("/v2/" + repository + "/manifests/" + tag)
                .send((request, outbound) -> {
                    request.header("Content-Type", "application/vnd.oci.image.manifest.v1+json");
                    return outbound.sendByteArray(Mono.just(manifest));
                }))).isEqualTo(201);
        return manifest;
    }

    private static double fromMemory() {
        String text = client.get().uri("/metrics").responseContent().aggregate().asString().block(TIMEOUT);
        Matcher matcher = FROM_MEMORY.matcher(text);
        assertThat(matcher.find()).as("berth_manifests_from_memory_total in /metrics").isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    private static int status(HttpClient.ResponseReceiver<?> receiver) {
        return receiver.responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                        .thenReturn(response.status().code()))
                .block(TIMEOUT);
    }

    private static String request(String method, String path) {
        return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    }

    /** One answer: its status, its headers by lower-case name, its body. */
    private record Answer(int status, Map<String, String> headers, byte[] body) {
    }

    /** A keep-alive connection that reads answers byte by byte, so nothing of the next is taken. */
    private static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;

        Connection() throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        }

        Answer exchange(String method, String path) throws IOException {
            send(request(method, path));
            return read("HEAD".equals(method));
        }

        void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        Answer read(boolean head) throws IOException {
            String statusLine = line();
            Map<String, String> headers = new TreeMap<>();
            for (String line = line(); !line.isEmpty(); line = line()) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            int length = head ? 0 : Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] body = in.readNBytes(length);
            assertThat(body).hasSize(length);
            return new Answer(Integer.parseInt(statusLine.split(" ")[1]), headers, body);
        }

        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed mid-answer");
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
