package dev.berth.server;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import dev.berth.storage.MetadataStore;

/** {@code GET /v2/_catalog}: every repository name in lexical order, page by page. */
final class CatalogHandler {
    private static final int BATCH = 1000;

    private final MetadataStore metadata;

    CatalogHandler(MetadataStore metadata) {
        this.metadata = metadata;
    }

    /**
     * Lists the repositories {@code visible} accepts. Hidden names are skipped in the database
     * walk, so pages stay full and {@code Link} still points past the last name shown.
     */
    Mono<Void> list(HttpServerRequest request, HttpServerResponse response, Predicate<String> visible) {
        Listing listing = Listing.of(request);
        int wanted = listing.limit() + 1;
        return visibleAfter(listing.last(), wanted, Math.min(wanted, BATCH), visible)
                .flatMap(fetched -> send(request, response, listing, fetched));
    }

    /**
     * Up to {@code wanted} visible names after {@code last}, reading {@code asked} names first
     * (enough when every name is visible) and then batches of {@link #BATCH}.
     *
     * <p>Limitation: a caller who may see few of many repositories makes the walk read every
     * name after {@code last}; fine for thousands of repositories, slow for millions.
     */
    private Mono<List<String>> visibleAfter(String last, int wanted, int asked, Predicate<String> visible) {
        return metadata.listRepositories(last, asked)
                .collectList()
                .flatMap(batch -> {
                    List<String> shown = batch.stream().filter(visible).limit(wanted).toList();
                    if (shown.size() >= wanted || batch.size() < asked) {
                        return Mono.just(shown);
                    }
                    return visibleAfter(batch.get(batch.size() - 1), wanted - shown.size(), BATCH, visible)
                            .map(more -> concat(shown, more));
                });
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static Mono<Void> send(HttpServerRequest request, HttpServerResponse response, Listing listing,
            List<String> fetched) {
        String link = listing.next("/v2/_catalog", fetched);
        if (link != null) {
            response.header("Link", link);
        }
        return Http.json(request, response, Listing.json(null, "repositories", listing.page(fetched)));
    }
}
