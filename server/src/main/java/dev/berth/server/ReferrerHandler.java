package dev.berth.server;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import dev.berth.core.Descriptor;
import dev.berth.core.Digest;
import dev.berth.core.MediaType;
import dev.berth.core.RepositoryName;
import dev.berth.storage.MetadataStore;

/**
 * {@code GET /v2/<name>/referrers/<digest>}: the manifests whose {@code subject} is that digest
 * (signatures, SBOMs, attestations), as an OCI image index. The subject need not exist: a
 * referrer may be pushed before its image, and outlives it when the image is deleted. The list is
 * ordered by digest and paginated like tag listings, with {@code n}, {@code last} and
 * {@code Link}; {@code artifactType} filters it.
 */
final class ReferrerHandler {
    static final String FILTERS_APPLIED = "OCI-Filters-Applied";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MetadataStore metadata;

    ReferrerHandler(MetadataStore metadata) {
        this.metadata = metadata;
    }

    Mono<Void> list(HttpServerRequest request, HttpServerResponse response, RepositoryName name, String text) {
        Digest subject = Digest.parse(text);
        Listing listing = Listing.of(request);
        Digest last = listing.last() == null ? null : Digest.parse(listing.last());
        String artifactType = Http.query(request, "artifactType");
        return metadata.listReferrers(name, subject, artifactType, last, listing.limit() + 1)
                .collectList()
                .flatMap(fetched -> send(response, name, subject, artifactType, listing, fetched));
    }

    private static Mono<Void> send(HttpServerResponse response, RepositoryName name, Digest subject,
            String artifactType, Listing listing, List<Descriptor> fetched) {
        List<String> digests = fetched.stream().map(descriptor -> descriptor.digest().toString()).toList();
        String filter = artifactType == null ? ""
                : "&artifactType=" + URLEncoder.encode(artifactType, StandardCharsets.UTF_8);
        String link = listing.next("/v2/" + name + "/referrers/" + subject, filter, digests);
        if (link != null) {
            response.header("Link", link);
        }
        if (artifactType != null) {
            response.header(FILTERS_APPLIED, "artifactType");
        }
        byte[] body = index(listing.page(fetched));
        response.status(HttpResponseStatus.OK)
                .header(HttpHeaderNames.CONTENT_TYPE, MediaType.OCI_INDEX)
                .header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(body.length));
        return response.sendByteArray(Mono.just(body)).then();
    }

    private static byte[] index(List<Descriptor> referrers) {
        ObjectNode root = JSON.createObjectNode()
                .put("schemaVersion", 2)
                .put("mediaType", MediaType.OCI_INDEX);
        ArrayNode manifests = root.putArray("manifests");
        for (Descriptor referrer : referrers) {
            ObjectNode entry = manifests.addObject()
                    .put("mediaType", referrer.mediaType())
                    .put("digest", referrer.digest().toString())
                    .put("size", referrer.size());
            if (referrer.artifactType() != null) {
                entry.put("artifactType", referrer.artifactType());
            }
            if (!referrer.annotations().isEmpty()) {
                ObjectNode annotations = entry.putObject("annotations");
                referrer.annotations().forEach(annotations::put);
            }
        }
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }
}
