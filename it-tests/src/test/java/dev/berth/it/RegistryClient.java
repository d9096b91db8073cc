package dev.berth.it;

import static dev.berth.it.Api.manifest;
import static dev.berth.it.Api.uploads;
import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.header;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A plain HTTP/1.1 client for the registry API plus the few flows most tests need (push a blob,
 * push a manifest). Every request has a timeout, 60 seconds unless given, so a hung server fails
 * the test rather than the build. Requests made one after another share one keep-alive
 * connection. Paths are resolved against the server's base URI, so {@code Location} headers
 * can be passed back as they were received.
 *
 * <p>A client may carry default headers, sent on every request unless the request names the
 * same header itself: {@link #withBasicAuth} makes one that logs in on every request, as curl
 * does.
 */
final class RegistryClient {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    static final String OCTET_STREAM = "application/octet-stream";

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;
    private final List<String> defaultHeaders;

    RegistryClient(URI base) {
        this(base, REQUEST_TIMEOUT);
    }

    /** A client whose requests each fail after {@code timeout} without a complete response. */
    RegistryClient(URI base, Duration timeout) {
        this(base, timeout, HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build(), List.of());
    }

    private RegistryClient(URI base, Duration timeout, HttpClient http,
            List<String> defaultHeaders) {
        this.base = base;
        this.timeout = timeout;
        this.http = http;
        this.defaultHeaders = List.copyOf(defaultHeaders);
    }

    /**
     * A client of the same server, on the same connections, that sends {@code headers} (names
     * and values, alternating) on every request instead of this client's default headers; with
     * none, a client without credentials.
     */
    RegistryClient withDefaultHeaders(String... headers) {
        checkPairs(headers);
        return new RegistryClient(base, timeout, http, List.of(headers));
    }

    /** A client sending {@code Authorization: Basic} for {@code user} on every request. */
    RegistryClient withBasicAuth(String user, String password) {
        return withDefaultHeaders("Authorization", basic(user, password));
    }

    /** A client sending {@code Authorization: Bearer <token>} on every request. */
    RegistryClient withBearer(String token) {
        return withDefaultHeaders("Authorization", "Bearer " + token);
    }

    /** The value of a Basic {@code Authorization} header: {@code user:password} in UTF-8. */
    static String basic(String user, String password) {
        byte[] credentials = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(credentials);
    }

    /** {@code location} (absolute or a path) resolved against the server's base URI. */
    URI resolve(String location) {
        return base.resolve(location);
    }

    HttpResponse<byte[]> get(String path, String... headers) {
        return send("GET", path, BodyPublishers.noBody(), headers);
    }

    HttpResponse<byte[]> head(String path, String... headers) {
        return send("HEAD", path, BodyPublishers.noBody(), headers);
    }

    HttpResponse<byte[]> delete(String path) {
        return send("DELETE", path, BodyPublishers.noBody());
    }

    HttpResponse<byte[]> post(String path, byte[] body, String... headers) {
        return send("POST", path, BodyPublishers.ofByteArray(body), headers);
    }

    HttpResponse<byte[]> put(String path, byte[] body, String... headers) {
        return send("PUT", path, BodyPublishers.ofByteArray(body), headers);
    }

    /** A PATCH whose body has a {@code Content-Length}, as a chunk with a Content-Range is sent. */
    HttpResponse<byte[]> patch(String path, byte[] body, String... headers) {
        return send("PATCH", path, BodyPublishers.ofByteArray(body), headers);
    }

    /** A PATCH whose body is streamed with chunked transfer encoding and no Content-Length. */
    HttpResponse<byte[]> patchStreamed(String path, byte[] body) {
        BodyPublisher streamed = BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
        return send("PATCH", path, streamed, "Content-Type", OCTET_STREAM);
    }

    /**
     * Sends one request and reads the whole response.
     *
     * @param headers header names and values, alternating
     */
    HttpResponse<byte[]> send(String method, String path, BodyPublisher body, String... headers) {
        checkPairs(headers);
        HttpRequest.Builder request = HttpRequest.newBuilder(resolve(path))
                .timeout(timeout)
                .method(method, body);
        Set<String> named = new HashSet<>();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            named.add(headers[i].toLowerCase(Locale.ROOT));
        }
        for (int i = 0; i < defaultHeaders.size(); i += 2) {
            if (!named.contains(defaultHeaders.get(i).toLowerCase(Locale.ROOT))) {
                request.header(defaultHeaders.get(i), defaultHeaders.get(i + 1));
            }
        }
        try {
            return http.send(request.build(), BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new AssertionError("no response to " + method + " " + path + " within "
                    + timeout.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + path + " interrupted", e);
        }
    }

    /** Opens an upload session in {@code repo} and returns its {@code Location}. */
    String startUpload(String repo) {
        HttpResponse<byte[]> response = post(uploads(repo), new byte[0]);

        assertStatus(response, 202);
        return header(response, "Location");
    }

    /**
     * Ends an upload: {@code PUT <location>?digest=<digest>} with {@code finalChunk} (which may be
     * empty) as the body.
     */
    HttpResponse<byte[]> commit(String location, String digest, byte[] finalChunk,
            String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = OCTET_STREAM;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return put(withQuery(location, "digest=" + digest), finalChunk, all);
    }

    /** Pushes {@code content} to {@code repo} with a POST and a PUT and returns its digest. */
    String pushBlob(String repo, byte[] content) {
        String digest = digest(content);
        String location = startUpload(repo);

        HttpResponse<byte[]> response = commit(location, digest, content);

        assertStatus(response, 201);
        return digest;
    }

    /** Pushes {@code text} as a blob (a config, say) and returns its descriptor. */
    Descriptor pushBlob(String repo, String mediaType, String text) {
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        return new Descriptor(mediaType, pushBlob(repo, content), content.length);
    }

    /** {@code PUT /v2/<repo>/manifests/<reference>} with {@code body} as {@code mediaType}. */
    HttpResponse<byte[]> putManifest(String repo, String reference, String mediaType, byte[] body) {
        return put(manifest(repo, reference), body, "Content-Type", mediaType);
    }

    /** Pushes a manifest, checks it was accepted and returns the digest of its exact bytes. */
    String pushManifest(String repo, String reference, String mediaType, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);

        HttpResponse<byte[]> response = putManifest(repo, reference, mediaType, body);

        assertStatus(response, 201);
        return digest(body);
    }

    /** Pushes a config and one layer and an image manifest over them; returns the manifest. */
    Descriptor pushImage(String repo, String reference) {
        Descriptor config = pushBlob(repo, MediaTypes.OCI_CONFIG, Manifests.config());
        Descriptor layer = pushBlob(repo, MediaTypes.OCI_LAYER, "layer " + UUID.randomUUID());
        byte[] body = Manifests.image(config, layer).getBytes(StandardCharsets.UTF_8);

        assertStatus(putManifest(repo, reference, MediaTypes.OCI_MANIFEST, body), 201);
        return new Descriptor(MediaTypes.OCI_MANIFEST, digest(body), body.length);
    }

    /** {@code location} with {@code parameter} appended to its query. */
    static String withQuery(String location, String parameter) {
        return location + (location.contains("?") ? "&" : "?") + parameter;
    }

    /** {@code sha256:<hex>} of {@code content}. */
    static String digest(byte[] content) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return "sha256:" + HexFormat.of().formatHex(sha256.digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Random bytes, so that no two tests share a blob by accident. */
    static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static void checkPairs(String... headers) {
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("headers: " + headers.length
                    + " strings (expected: name, value pairs)");
        }
    }
}
