package dev.berth.it;

import static dev.berth.it.MediaTypes.OCI_EMPTY;
import static dev.berth.it.MediaTypes.OCI_MANIFEST;
import static dev.berth.it.Referrers.FILTERS_APPLIED;
import static dev.berth.it.Referrers.SIGNATURE;
import static dev.berth.it.Responses.header;
import static dev.berth.it.Responses.nextLink;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.berth.it.Referrers.Entry;

/**
 * The {@code artifactType} filter and the {@code n}, {@code last} and {@code Link} pagination of
 * {@code GET /v2/<name>/referrers/<digest>}, over one image with five referrers of two types.
 */
final class ReferrersPaginationIT {
    /** Has a {@code +}, which a {@code Link} must encode for the filter to survive a round trip. */
    private static final String SBOM = "application/spdx+json";

    @RegisterExtension
    static final BerthExtension BERTH = new BerthExtension();

    private static String repo;
    private static String listing;
    /** Every referrer, in digest order. */
    private static List<Entry> all;
    /** The SBOMs, in digest order. */
    private static List<Entry> sboms;

    private final RegistryClient registry = BERTH.client();

    @BeforeAll
    static void pushReferrers() {
        RegistryClient registry = BERTH.client();
        repo = Repos.unique("referrers-pages");
        Descriptor image = registry.pushImage(repo, "v1");
        listing = Referrers.path(repo, image.digest());
        Descriptor empty = registry.pushBlob(repo, OCI_EMPTY, "{}");
        all = new ArrayList<>();
        for (String type : List.of(SBOM, SIGNATURE, SBOM, SIGNATURE, SBOM)) {
            Descriptor payload = registry.pushBlob(repo, type, "payload " + UUID.randomUUID());
            String json = Manifests.artifactWithSubject(type, empty, image, Map.of(), payload);
            Descriptor pushed = Referrers.push(registry, repo, OCI_MANIFEST, json, image.digest());
            all.add(Entry.of(pushed, type, Map.of()));
        }
        all.sort(Comparator.comparing(Entry::digest));
        sboms = all.stream().filter(entry -> SBOM.equals(entry.artifactType())).toList();
    }

    @Test
    void listReferrers_noParameters_returnsAllInDigestOrderWithoutLinkOrFilterHeader() {
        HttpResponse<byte[]> response = registry.get(listing);

        assertThat(Referrers.entries(response)).containsExactlyElementsOf(all);
        assertThat(nextLink(response)).isNull();
        assertThat(header(response, FILTERS_APPLIED)).isNull();
    }

    @Test
    void listReferrers_artifactTypeFilter_returnsOnlyMatchingAndSetsHeader() {
        String filtered = listing + "?artifactType=" + encode(SIGNATURE);

        HttpResponse<byte[]> response = registry.get(filtered);

        assertThat(Referrers.entries(response))
                .containsExactlyElementsOf(all.stream()
                        .filter(entry -> SIGNATURE.equals(entry.artifactType()))
                        .toList());
        assertThat(header(response, FILTERS_APPLIED)).isEqualTo("artifactType");
    }

    @Test
    void listReferrers_filterMatchingNothing_returnsEmptyIndexAndSetsHeader() {
        String absent = "application/vnd.example.never-pushed.v1";

        HttpResponse<byte[]> response = registry.get(listing + "?artifactType=" + encode(absent));

        assertThat(Referrers.entries(response)).isEmpty();
        assertThat(header(response, FILTERS_APPLIED)).isEqualTo("artifactType");
        assertThat(nextLink(response)).isNull();
    }

    @Test
    void listReferrers_nTwo_returnsFirstTwoAndNextLink() {
        HttpResponse<byte[]> response = registry.get(listing + "?n=2");

        assertThat(Referrers.entries(response)).containsExactlyElementsOf(all.subList(0, 2));
        URI next = URI.create(nextLink(response));
        assertThat(next.getPath()).isEqualTo(listing);
        assertThat(Pagination.query(next)).containsExactlyInAnyOrderEntriesOf(
                Map.of("n", "2", "last", all.get(1).digest()));
    }

    @Test
    void listReferrers_followingLinks_visitsEveryReferrerOnceInDigestOrder() {
        List<HttpResponse<byte[]>> pages = Referrers.follow(registry, listing + "?n=2", 5);

        List<List<Entry>> entries = pages.stream().map(Referrers::entries).toList();
        assertThat(entries).extracting(List::size).containsExactly(2, 2, 1);
        assertThat(entries.stream().flatMap(List::stream)).containsExactlyElementsOf(all);
    }

    @Test
    void listReferrers_filteredWithNTwo_linkKeepsFilter() {
        HttpResponse<byte[]> response = registry.get(listing + "?artifactType=" + encode(SBOM)
                + "&n=2");

        assertThat(Referrers.entries(response)).containsExactlyElementsOf(sboms.subList(0, 2));
        URI next = URI.create(nextLink(response));
        assertThat(next.getPath()).isEqualTo(listing);
        assertThat(Pagination.query(next)).containsExactlyInAnyOrderEntriesOf(
                Map.of("n", "2", "last", sboms.get(1).digest(), "artifactType", SBOM));
    }

    @Test
    void listReferrers_followingFilteredLinks_visitsEveryMatchOnceInDigestOrder() {
        List<HttpResponse<byte[]>> pages = Referrers.follow(registry,
                listing + "?artifactType=" + encode(SBOM) + "&n=2", 4);

        assertThat(pages).allSatisfy(page ->
                assertThat(header(page, FILTERS_APPLIED)).isEqualTo("artifactType"));
        List<List<Entry>> entries = pages.stream().map(Referrers::entries).toList();
        assertThat(entries).extracting(List::size).containsExactly(2, 1);
        assertThat(entries.stream().flatMap(List::stream)).containsExactlyElementsOf(sboms);
    }

    @Test
    void listReferrers_lastGiven_startsAfterThatDigest() {
        HttpResponse<byte[]> response = registry.get(listing + "?last=" + all.get(2).digest());

        assertThat(Referrers.entries(response)).containsExactlyElementsOf(all.subList(3, 5));
        assertThat(nextLink(response)).isNull();
    }

    @Test
    void listReferrers_nAsLargeAsCount_returnsAllWithoutLink() {
        HttpResponse<byte[]> response = registry.get(listing + "?n=5");

        assertThat(Referrers.entries(response)).containsExactlyElementsOf(all);
        assertThat(nextLink(response)).isNull();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
