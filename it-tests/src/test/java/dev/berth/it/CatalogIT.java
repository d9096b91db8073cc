package dev.berth.it;

import static dev.berth.it.Responses.assertJsonError;
import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.nextLink;
import static dev.berth.it.Responses.stringArray;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /v2/_catalog} on a server of its own, so the repositories it holds are exactly the
 * ones pushed here and no other test class can add one between two pages.
 */
final class CatalogIT {
    /** Pushed in this order; '-' < '.' < '/' < digits < '_' < letters in byte order. */
    private static final List<String> PUSH_ORDER = List.of("zeta", "alpha/one", "alpha_x", "alpha",
            "alpha0", "alpha.x", "alpha-x", "m/n/o", "b", "a9");

    @RegisterExtension
    static final BerthExtension BERTH = new BerthExtension();

    private static List<String> sorted;

    private final RegistryClient registry = BERTH.client();

    @BeforeAll
    static void pushRepositories() {
        for (String repo : PUSH_ORDER) {
            BERTH.client().pushImage(repo, "v1");
        }
        sorted = new ArrayList<>(PUSH_ORDER);
        sorted.sort(String::compareTo);
    }

    @Test
    void catalog_noParameters_listsEveryRepositoryInByteOrder() {
        HttpResponse<byte[]> response = registry.get("/v2/_catalog");

        assertStatus(response, 200);
        assertThat(stringArray(response, "repositories")).containsExactlyElementsOf(sorted);
        assertThat(nextLink(response)).isNull();
    }

    @Test
    void catalog_nThree_returnsFirstThreeAndNextLink() {
        HttpResponse<byte[]> response = registry.get("/v2/_catalog?n=3");

        assertStatus(response, 200);
        assertThat(stringArray(response, "repositories"))
                .containsExactlyElementsOf(sorted.subList(0, 3));
        URI next = URI.create(nextLink(response));
        assertThat(next.getPath()).isEqualTo("/v2/_catalog");
        assertThat(Pagination.query(next)).containsExactlyInAnyOrderEntriesOf(
                Map.of("n", "3", "last", sorted.get(2)));
    }

    @Test
    void catalog_followingLinks_returnsEveryRepositoryOnceInOrder() {
        List<List<String>> pages = Pagination.follow(registry, "/v2/_catalog?n=3", "repositories",
                sorted.size() + 2);

        assertThat(pages).allSatisfy(page -> assertThat(page).hasSizeBetween(1, 3));
        assertThat(pages.stream().flatMap(List::stream)).containsExactlyElementsOf(sorted);
    }

    @Test
    void catalog_lastWithSlash_startsAfterThatRepository() {
        int position = sorted.indexOf("alpha/one");

        HttpResponse<byte[]> response = registry.get("/v2/_catalog?n=2&last=alpha/one");

        assertStatus(response, 200);
        assertThat(stringArray(response, "repositories"))
                .containsExactlyElementsOf(sorted.subList(position + 1, position + 3));
    }

    @Test
    void catalog_nZero_returnsEmptyListWithoutLink() {
        HttpResponse<byte[]> response = registry.get("/v2/_catalog?n=0");

        assertStatus(response, 200);
        assertThat(stringArray(response, "repositories")).isEmpty();
        assertThat(nextLink(response)).isNull();
    }

    @Test
    void catalog_negativeN_returns400() {
        HttpResponse<byte[]> response = registry.get("/v2/_catalog?n=-1");

        assertJsonError(response, 400);
    }

    @Test
    void catalog_nonNumericN_returns400() {
        HttpResponse<byte[]> response = registry.get("/v2/_catalog?n=abc");

        assertJsonError(response, 400);
    }
}
