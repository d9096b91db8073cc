package dev.berth.server;

import java.util.List;

import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import dev.berth.core.ErrorCode;
import dev.berth.core.RepositoryName;
import dev.berth.storage.MetadataStore;

/** {@code GET /v2/<name>/tags/list}: a repository's tags in lexical order, page by page. */
final class TagHandler {
    private final MetadataStore metadata;

    TagHandler(MetadataStore metadata) {
        this.metadata = metadata;
    }

    Mono<Void> list(HttpServerRequest request, HttpServerResponse response, RepositoryName name) {
        Listing listing = Listing.of(request);
        return metadata.existsRepository(name)
                .flatMap(exists -> exists ? Mono.just(name) : Mono.error(ErrorCode.NAME_UNKNOWN.exception(
                        "repository " + name + " is not known")))
                .flatMap(known -> metadata.listTags(name, listing.last(), listing.limit() + 1).collectList())
                .flatMap(fetched -> send(request, response, name, listing, fetched));
    }

    private static Mono<Void> send(HttpServerRequest request, HttpServerResponse response, RepositoryName name,
            Listing listing, List<String> fetched) {
        String link = listing.next("/v2/" + name + "/tags/list", fetched);
        if (link != null) {
            response.header("Link", link);
        }
        return Http.json(request, response, Listing.json(name.value(), "tags", listing.page(fetched)));
    }
}
