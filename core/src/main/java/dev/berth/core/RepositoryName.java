package dev.berth.core;

import java.util.regex.Pattern;

/**
 * A validated OCI repository name such as {@code library/alpine}: path components of lowercase
 * letters and digits, separated inside a component by {@code .}, {@code _}, {@code __} or runs of
 * {@code -}, joined by {@code /}.
 *
 * @param value the name as the client wrote it
 */
public record RepositoryName(String value) implements Comparable<RepositoryName> {
    /** Longest name accepted; Distribution and most clients stop at 255 as well. */
    public static final int MAX_LENGTH = 255;

    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*");

    public RepositoryName {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            throw ErrorCode.NAME_INVALID.exception("repository name: " + value
                    + " (expected: 1 to " + MAX_LENGTH + " characters)");
        }
        for (String component : value.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw ErrorCode.NAME_INVALID.exception("repository name: " + value
                        + " (expected: components matching " + COMPONENT.pattern() + " joined by /)");
            }
        }
    }

    /** Parses and validates a repository name. */
    public static RepositoryName of(String value) {
        return new RepositoryName(value);
    }

    @Override
    public int compareTo(RepositoryName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
