package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class ListingsTest {
    private static final BenchSettings FULL = BenchSettings.full(Path.of("out"), Path.of("b.jar"));

    @Test
    void pageLoads_fullSettings_hundredSeededNamesAfterTheMiddle() {
        List<Listings.PageLoad> loads = new Listings(FULL, null).pageLoads();

        Listings.PageLoad tags = loads.get(0);
        assertThat(tags.path()).isEqualTo("/v2/bench/tags/tags/list?n=100&last=t04950");
        assertThat(tags.label()).isEqualTo("tags page (n=100, last=t04950), 64 conns");
        assertThat(tags.expected()).hasSize(100).startsWith("t04951").endsWith("t05050");
        assertThat(tags.pagedByDistribution()).isFalse();
        assertThat(tags.seeded()).isEqualTo(10_000);
        Listings.PageLoad catalog = loads.get(1);
        assertThat(catalog.path()).isEqualTo("/v2/_catalog?n=100&last=bench/catalog/r00450");
        assertThat(catalog.expected()).hasSize(100).startsWith("bench/catalog/r00451")
                .endsWith("bench/catalog/r00550");
        assertThat(catalog.pagedByDistribution()).isTrue();
    }

    @Test
    void pageLoads_smokeSettings_fullPageAmongTheSeededNames() {
        BenchSettings smoke = BenchSettings.smoke(Path.of("out"), Path.of("b.jar"));

        List<Listings.PageLoad> loads = new Listings(smoke, null).pageLoads();

        assertThat(loads.get(0).expected()).hasSize(10).startsWith("t00021").endsWith("t00030");
        assertThat(loads.get(1).expected()).hasSize(10).startsWith("bench/catalog/r00006")
                .endsWith("bench/catalog/r00015");
    }

    @Test
    void pageLoads_oneNameMoreThanAPage_pageAfterTheFirst() {
        BenchSettings tight = withTags(101);

        List<String> expected = new Listings(tight, null).pageLoads().get(0).expected();

        assertThat(expected).hasSize(100).startsWith("t00001").endsWith("t00100");
    }

    @Test
    void new_tooFewTagsForAPage_fails() {
        BenchSettings few = withTags(100);

        assertThatThrownBy(() -> new Listings(few, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tags: 100 names (expected: at least n + 1 = 101, so a full page "
                        + "follows a seeded one)");
    }

    private static BenchSettings withTags(int tags) {
        return new BenchSettings("test", 1, Path.of("out"), Path.of("b.jar"), FULL.warmUp(),
                FULL.connections(), FULL.manifestLoad(), 1, List.of(1), FULL.blobLoad(), 1, 1, 1,
                FULL.mixedLoad(), 1, tags, FULL.repositories(), FULL.pageSize(), 1,
                FULL.listingLoad());
    }
}
