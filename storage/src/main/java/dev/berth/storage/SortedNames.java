package dev.berth.storage;

import java.util.Arrays;
import java.util.List;

/**
 * One whole name list (a repository's tags, or the catalog) in the order SQLite lists it, or the
 * marker {@link #UNCACHEABLE}, which sends readers to the database.
 *
 * <p>SQLite sorts these TEXT columns with the BINARY collation: byte by byte over UTF-8. Over
 * printable ASCII, {@link String#compareTo} (UTF-16 code units) gives the same order; past it the
 * two part (a character above U+FFFF sorts before U+E000 in UTF-16 and after it in UTF-8, and a
 * lone surrogate reaches SQLite as {@code ?}). So a list is kept only when every name is printable
 * ASCII and the list is strictly ascending under {@code compareTo}, and only a {@code last} that
 * is printable ASCII is searched here. Tag and repository names are ASCII by their grammar, so in
 * practice only a made-up {@code last} goes to the database.
 */
final class SortedNames {
    /** A list that is too long, or that binary search could not place as SQLite does. */
    static final SortedNames UNCACHEABLE = new SortedNames(null);

    private final String[] names;

    private SortedNames(String[] names) {
        this.names = names;
    }

    /**
     * The list read from SQLite, or {@link #UNCACHEABLE} when it holds more than
     * {@code maxNames} names or one that is not {@linkplain #searchable searchable}.
     */
    static SortedNames of(List<String> names, int maxNames) {
        if (names.size() > maxNames) {
            return UNCACHEABLE;
        }
        String[] sorted = names.toArray(String[]::new);
        for (int i = 0; i < sorted.length; i++) {
            if (!searchable(sorted[i]) || i > 0 && sorted[i - 1].compareTo(sorted[i]) >= 0) {
                return UNCACHEABLE;
            }
        }
        return new SortedNames(sorted);
    }

    /** Whether {@code last} (null: the start) sorts here as in SQLite: printable ASCII does. */
    static boolean searchable(String last) {
        if (last == null) {
            return true;
        }
        for (int i = 0; i < last.length(); i++) {
            char c = last.charAt(i);
            if (c < ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }

    /** Whether this is a list; the methods below need one. */
    boolean cacheable() {
        return names != null;
    }

    boolean contains(String name) {
        return Arrays.binarySearch(names, name) >= 0;
    }

    /**
     * Up to {@code limit} names sorting strictly after {@code last}, whether or not {@code last} is
     * one of them; as in SQLite's {@code LIMIT}, a negative limit means no limit.
     */
    List<String> page(String last, int limit) {
        int from = 0;
        if (last != null) {
            int found = Arrays.binarySearch(names, last);
            from = found >= 0 ? found + 1 : -found - 1;
        }
        int to = limit < 0 ? names.length : (int) Math.min(names.length, (long) from + limit);
        return Arrays.asList(names).subList(from, to);
    }

    /** How many names this holds; an empty list and the marker count as one, to weigh something. */
    int weight() {
        return names == null ? 1 : Math.max(1, names.length);
    }
}
