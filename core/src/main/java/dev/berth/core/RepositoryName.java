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
        if (!hasValidComponents(value)) {
            throw ErrorCode.NAME_INVALID.exception("repository name: " + value
                    + " (expected: components matching " + COMPONENT.pattern() + " joined by /)");
        }
    }

    /**
     * Whether every {@code /}-separated component of {@code value} matches {@link #COMPONENT}.
     * Checked by hand rather than by the pattern because every request naming a repository pays
     * for it; {@code RepositoryNameTest} holds the two to the same answers.
     */
    static boolean hasValidComponents(String value) {
        int from = 0;
        while (true) {
            int slash = value.indexOf('/', from);
            int to = slash < 0 ? value.length() : slash;
            if (!isComponent(value, from, to)) {
                return false;
            }
            if (slash < 0) {
                return true;
            }
            from = slash + 1;
        }
    }

    /** {@code [a-z0-9]+} runs joined by {@code .}, {@code _}, {@code __} or {@code -+}. */
    private static boolean isComponent(String value, int from, int to) {
        int i = from;
        while (true) {
            int run = i;
            while (i < to && isLowerAlnum(value.charAt(i))) {
                i++;
            }
            if (i == run) {
                return false;
            }
            if (i == to) {
                return true;
            }
            char separator = value.charAt(i);
            if (separator == '.') {
                i++;
            } else if (separator == '_') {
                i++;
                if (i < to && value.charAt(i) == '_') {
                    i++;
                }
            } else if (separator == '-') {
                while (i < to && value.charAt(i) == '-') {
                    i++;
                }
            } else {
                return false;
            }
        }
    }

    private static boolean isLowerAlnum(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
    }

    /** The component pattern, for tests that compare it with {@link #hasValidComponents}. */
    static Pattern componentPattern() {
        return COMPONENT;
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
