package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SortedNamesTest {
    private static final SortedNames NAMES = SortedNames.of(List.of("1.0", "A", "a", "a-b", "a_b", "b"), 10);

    @Test
    void page_lastNotAName_startsAfterWhereItWouldSort() {
        assertThat(NAMES.page("a.", 2)).containsExactly("a_b", "b");
        assertThat(NAMES.page("0", 1)).containsExactly("1.0");
        assertThat(NAMES.page("c", 5)).isEmpty();
    }

    @Test
    void page_lastAName_startsAfterIt() {
        assertThat(NAMES.page("a", 10)).containsExactly("a-b", "a_b", "b");
        assertThat(NAMES.page("b", 10)).isEmpty();
    }

    @Test
    void page_limitZeroOrNegative_emptyOrTheRest() {
        assertThat(NAMES.page(null, 0)).isEmpty();
        assertThat(NAMES.page("a-b", -1)).containsExactly("a_b", "b");
        assertThat(NAMES.page(null, Integer.MAX_VALUE)).hasSize(6);
    }

    @Test
    void of_moreThanMax_uncacheable() {
        assertThat(SortedNames.of(List.of("a", "b", "c"), 2)).isSameAs(SortedNames.UNCACHEABLE);
        assertThat(SortedNames.of(List.of("a", "b"), 2).cacheable()).isTrue();
    }

    @Test
    void of_notAscendingByCompareTo_uncacheable() {
        assertThat(SortedNames.of(List.of("b", "a"), 10)).isSameAs(SortedNames.UNCACHEABLE);
        assertThat(SortedNames.of(List.of("a", "a"), 10)).isSameAs(SortedNames.UNCACHEABLE);
    }

    @Test
    void of_nameOutsidePrintableAscii_uncacheable() {
        // In UTF-8 (SQLite) U+E000 sorts before U+10000; in UTF-16 (String.compareTo) after it.
        assertThat(SortedNames.of(List.of("a\uE000", "a\uD800\uDC00"), 10)).isSameAs(SortedNames.UNCACHEABLE);
        assertThat(SortedNames.of(List.of("caf\u00e9"), 10)).isSameAs(SortedNames.UNCACHEABLE);
    }

    @Test
    void searchable_printableAsciiOnly() {
        assertThat(SortedNames.searchable(null)).isTrue();
        assertThat(SortedNames.searchable("")).isTrue();
        assertThat(SortedNames.searchable("v1.2_rc-3~ !")).isTrue();
        assertThat(SortedNames.searchable("a\uD800")).isFalse();
        assertThat(SortedNames.searchable("a\u0000")).isFalse();
        assertThat(SortedNames.searchable("\u00e9")).isFalse();
    }

    @Test
    void weight_emptyListAndMarker_countAsOne() {
        assertThat(SortedNames.of(List.of(), 10).weight()).isEqualTo(1);
        assertThat(SortedNames.UNCACHEABLE.weight()).isEqualTo(1);
        assertThat(NAMES.weight()).isEqualTo(6);
    }
}
