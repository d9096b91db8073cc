package dev.berth.it;

import static dev.berth.it.MediaTypes.OCI_EMPTY;
import static dev.berth.it.MediaTypes.OCI_INDEX;
import static dev.berth.it.MediaTypes.OCI_MANIFEST;
import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.describe;
import static dev.berth.it.Responses.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The referrers API as the tests use it: {@code GET /v2/<name>/referrers/<digest>}, pushing
 * manifests that have a {@code subject}, and reading the image index a listing answers with.
 */
final class Referrers {
    /** The header a registry sets when it applied the {@code artifactType} filter. */
    static final String FILTERS_APPLIED = "OCI-Filters-Applied";
    /** The {@code artifactType} of the signatures {@link #pushSignature} pushes. */
    static final String SIGNATURE = "application/vnd.example.signature.v1";

    private Referrers() {
    }

    /**
     * One descriptor of a listing. A missing {@code artifactType} reads as null, missing
     * {@code annotations} as an empty map.
     */
    record Entry(String mediaType, String digest, long size, String artifactType,
            Map<String, String> annotations) {

        /** What a listing must say about a pushed manifest whose type and annotations are given. */
        static Entry of(Descriptor pushed, String artifactType, Map<String, String> annotations) {
            return new Entry(pushed.mediaType(), pushed.digest(), pushed.size(), artifactType,
                    annotations);
        }
    }

    /** {@code /v2/<repo>/referrers/<digest>}. */
    static String path(String repo, String digest) {
        return "/v2/" + repo + "/referrers/" + digest;
    }

    /**
     * Pushes {@code json} as {@code mediaType} by its digest, checks it was accepted with
     * {@code OCI-Subject: <subject>}, and returns its descriptor (size = the bytes pushed).
     */
    static Descriptor push(RegistryClient registry, String repo, String mediaType, String json,
            String subject) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String digest = RegistryClient.digest(body);

        HttpResponse<byte[]> response = registry.putManifest(repo, digest, mediaType, body);

        assertStatus(response, 201);
        assertThat(header(response, "Docker-Content-Digest")).isEqualTo(digest);
        assertThat(header(response, "OCI-Subject"))
                .as(() -> "OCI-Subject in " + describe(response))
                .isEqualTo(subject);
        return new Descriptor(mediaType, digest, body.length);
    }

    /**
     * Pushes a signature-like artifact referring to {@code subject}: type {@link #SIGNATURE}, the
     * empty config and one signature blob, all new. Returns its descriptor.
     */
    static Descriptor pushSignature(RegistryClient registry, String repo, Descriptor subject) {
        Descriptor empty = registry.pushBlob(repo, OCI_EMPTY, "{}");
        Descriptor payload = registry.pushBlob(repo, "application/vnd.example.signature.payload",
                "signature " + UUID.randomUUID());
        String json = Manifests.artifactWithSubject(SIGNATURE, empty, subject, Map.of(), payload);
        return push(registry, repo, OCI_MANIFEST, json, subject.digest());
    }

    /**
     * Checks that {@code response} is a {@code 200} OCI image index, by header and by body, and
     * returns the entries of its {@code manifests} array in order.
     */
    static List<Entry> entries(HttpResponse<byte[]> response) {
        assertStatus(response, 200);
        assertThat(header(response, "Content-Type"))
                .as(() -> "Content-Type of " + describe(response))
                .isEqualTo(OCI_INDEX);
        JsonNode index = Responses.json(response);
        assertThat(index.path("schemaVersion").asInt()).as(() -> describe(response)).isEqualTo(2);
        assertThat(index.path("mediaType").asText()).as(() -> describe(response))
                .isEqualTo(OCI_INDEX);
        JsonNode manifests = index.path("manifests");
        assertThat(manifests.isArray()).as(() -> "manifests array in " + describe(response))
                .isTrue();
        List<Entry> entries = new ArrayList<>();
        manifests.forEach(node -> entries.add(entry(node)));
        return entries;
    }

    /** The referrers of {@code digest} in {@code repo}, checked as {@link #entries} checks them. */
    static List<Entry> list(RegistryClient registry, String repo, String digest) {
        return entries(registry.get(path(repo, digest)));
    }

    /**
     * Requests {@code first}, then every {@code rel="next"} link in turn, and returns each page's
     * response. Fails when the chain is longer than {@code maxPages}, so a registry that links a
     * page to itself cannot hang the test.
     */
    static List<HttpResponse<byte[]>> follow(RegistryClient registry, String first, int maxPages) {
        List<HttpResponse<byte[]>> pages = new ArrayList<>();
        String next = first;
        while (next != null) {
            assertThat(pages.size())
                    .as("pages before %s (expected: the chain to end)", next)
                    .isLessThan(maxPages);
            HttpResponse<byte[]> response = registry.get(next);
            assertStatus(response, 200);
            pages.add(response);
            next = Responses.nextLink(response);
        }
        return pages;
    }

    private static Entry entry(JsonNode node) {
        Map<String, String> annotations = new LinkedHashMap<>();
        node.path("annotations").properties()
                .forEach(field -> annotations.put(field.getKey(), field.getValue().asText()));
        JsonNode artifactType = node.get("artifactType");
        return new Entry(node.path("mediaType").asText(null), node.path("digest").asText(null),
                node.path("size").asLong(-1), artifactType == null ? null : artifactType.asText(),
                annotations);
    }
}
