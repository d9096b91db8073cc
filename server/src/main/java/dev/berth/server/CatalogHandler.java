package dev.berth.server;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import dev.berth.storage.MetadataStore;

/** {@code GET /v2/_catalog}: every repository name in lexical order, page by page. */
final class CatalogHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MetadataStore metadata;

    CatalogHandler(MetadataStore metadata) {
        this.metadata = metadata;
    }

    Mono<Void> list(HttpServerRequest request, HttpServerResponse response) {
        Listing listing = Listing.of(request);
        return metadata.listRepositories(listing.last(), listing.limit() + 1)
                .collectList()
                .flatMap(fetched -> send(request, response, listing, fetched));
    }

    private static Mono<Void> send(HttpServerRequest request, HttpServerResponse response, Listing listing,
            List<String> fetched) {
        String link = listing.next("/v2/_catalog", fetched);
        if (link != null) {
            response.header("Link", link);
        }
        ObjectNode body = JSON.createObjectNode();
        listing.page(fetched).forEach(body.putArray("repositories")::add);
        return Http.json(request, response, body.toString());
    }
}
