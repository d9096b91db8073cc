package dev.berth.it;

import static dev.berth.it.Api.manifest;
import static dev.berth.it.Api.tags;
import static dev.berth.it.Responses.assertError;
import static dev.berth.it.Responses.assertJsonError;
import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.json;
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

/** {@code GET /v2/<name>/tags/list}: order, {@code n} and {@code last}, and the Link chain. */
final class TagListIT {
    /** Pushed in this order; upper case, digits and underscore check byte order, not case order. */
    private static final List<String> PUSH_ORDER = List.of("v2", "latest", "V1", "1.0", "alpha",
            "Beta", "_x", "v10", "0", "Zulu", "a-b", "a.b");

    @RegisterExtension
    static final BerthExtension BERTH = new BerthExtension();

    private static String repo;
    private static List<String> sorted;

    private final RegistryClient registry = BERTH.client();

    @BeforeAll
    static void pushTags() {
        RegistryClient registry = BERTH.client();
        repo = Repos.unique("tags");
        Descriptor image = registry.pushImage(repo, PUSH_ORDER.get(0));
        byte[] body = registry.get(manifest(repo, image.digest())).body();
        for (String tag : PUSH_ORDER.subList(1, PUSH_ORDER.size())) {
            assertStatus(registry.putManifest(repo, tag, MediaTypes.OCI_MANIFEST, body), 201);
        }
        sorted = new ArrayList<>(PUSH_ORDER);
        sorted.sort(String::compareTo);
    }

    @Test
    void listTags_scrambledPushOrder_returnsAllInByteOrder() {
        HttpResponse<byte[]> response = registry.get(tags(repo));

        assertStatus(response, 200);
        assertThat(json(response).path("name").asText()).isEqualTo(repo);
        assertThat(stringArray(response, "tags")).containsExactlyElementsOf(sorted);
        assertThat(nextLink(response)).isNull();
    }

    @Test
    void listTags_nTwo_returnsFirstTwoAndNextLink() {
        HttpResponse<byte[]> response = registry.get(tags(repo) + "?n=2");

        assertStatus(response, 200);
        assertThat(stringArray(response, "tags")).containsExactlyElementsOf(sorted.subList(0, 2));
        URI next = URI.create(nextLink(response));
        assertThat(next.getPath()).isEqualTo(tags(repo));
        assertThat(Pagination.query(next)).containsExactlyInAnyOrderEntriesOf(
                Map.of("n", "2", "last", sorted.get(1)));
    }

    @Test
    void listTags_followingLinks_returnsEveryTagOnceInOrder() {
        List<List<String>> pages = Pagination.follow(registry, tags(repo) + "?n=2", "tags",
                sorted.size() + 2);

        assertThat(pages).allSatisfy(page -> assertThat(page).hasSizeBetween(1, 2));
        assertThat(pages.stream().flatMap(List::stream)).containsExactlyElementsOf(sorted);
    }

    @Test
    void listTags_lastGiven_startsAfterThatTag() {
        String last = sorted.get(3);

        HttpResponse<byte[]> response = registry.get(tags(repo) + "?n=2&last=" + last);

        assertStatus(response, 200);
        assertThat(stringArray(response, "tags")).containsExactlyElementsOf(sorted.subList(4, 6));
    }

    @Test
    void listTags_lastWithoutN_returnsEverythingAfterIt() {
        String last = sorted.get(sorted.size() - 3);

        HttpResponse<byte[]> response = registry.get(tags(repo) + "?last=" + last);

        assertStatus(response, 200);
        assertThat(stringArray(response, "tags"))
                .containsExactlyElementsOf(sorted.subList(sorted.size() - 2, sorted.size()));
    }

    @Test
    void listTags_nLargerThanCount_returnsAllWithoutLink() {
        HttpResponse<byte[]> response = registry.get(tags(repo) + "?n=1000");

        assertStatus(response, 200);
        assertThat(stringArray(response, "tags")).containsExactlyElementsOf(sorted);
        assertThat(nextLink(response)).isNull();
    }

    @Test
    void listTags_nZero_returnsEmptyListWithoutLink() {
        HttpResponse<byte[]> response = registry.get(tags(repo) + "?n=0");

        assertStatus(response, 200);
        assertThat(stringArray(response, "tags")).isEmpty();
        assertThat(nextLink(response)).isNull();
    }

    @Test
    void listTags_negativeN_returns400() {
        HttpResponse<byte[]> response = registry.get(tags(repo) + "?n=-1");

        assertJsonError(response, 400);
    }

    @Test
    void listTags_nonNumericN_returns400() {
        HttpResponse<byte[]> response = registry.get(tags(repo) + "?n=abc");

        assertJsonError(response, 400);
    }

    @Test
    void listTags_unknownRepository_failsNameUnknown() {
        HttpResponse<byte[]> response = registry.get(tags(Repos.unique("never-pushed")));

        assertError(response, 404, "NAME_UNKNOWN");
    }
}
