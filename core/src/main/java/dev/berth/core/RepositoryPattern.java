package dev.berth.core;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A pattern of repository names, as access rules and retention rules write them.
 *
 * <ul>
 *   <li>A name without wildcards matches exactly that repository: {@code team-a/app}.
 *   <li>{@code *} matches any run of characters within one path component, never a {@code /}:
 *       {@code team-a/*} matches {@code team-a/app} but not {@code team-a/app/db};
 *       {@code app-*} matches {@code app-web}.
 *   <li>{@code **} matches any run of characters, {@code /} included: {@code team-a/**} matches
 *       {@code team-a/app} and {@code team-a/app/db}, but neither {@code team-a} itself (write it
 *       as a second pattern when it should) nor {@code team-ab/app}.
 *   <li>{@code *} or {@code **} alone matches every repository.
 * </ul>
 *
 * <p>Patterns are checked when the configuration is loaded: only lowercase letters, digits,
 * {@code .}, {@code _}, {@code -}, {@code /} and the wildcards, no empty path component and no
 * {@code ***}.
 */
public final class RepositoryPattern {
    private static final Pattern ALLOWED = Pattern.compile("[a-z0-9._\\-/*]+");
    private static final String EXPECTED = "(expected: lowercase letters, digits, '.', '_', "
            + "'-' and '/', with '*' within a path component and '**' across them)";

    private final String text;
    private final Pattern regex;

    private RepositoryPattern(String text, Pattern regex) {
        this.text = text;
        this.regex = regex;
    }

    /**
     * The pattern written as {@code text}.
     *
     * @throws IllegalArgumentException if {@code text} is not a valid pattern
     */
    public static RepositoryPattern parse(String text) {
        Objects.requireNonNull(text, "text");
        if (!ALLOWED.matcher(text).matches()) {
            throw invalid(text, EXPECTED);
        }
        if (text.startsWith("/") || text.endsWith("/") || text.contains("//")) {
            throw invalid(text, "(expected: no empty path component, no '/' at either end)");
        }
        if (text.contains("***")) {
            throw invalid(text, "(expected: '*' or '**', never three in a row)");
        }
        if ("*".equals(text) || "**".equals(text)) {
            return new RepositoryPattern(text, null);
        }
        return new RepositoryPattern(text, Pattern.compile(toRegex(text)));
    }

    /** Whether {@code repository} is one of the names this pattern stands for. */
    public boolean matches(String repository) {
        if (regex == null) {
            return true;
        }
        return regex.matcher(repository).matches();
    }

    /** The pattern as written. */
    public String text() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RepositoryPattern pattern && text.equals(pattern.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }

    private static String toRegex(String text) {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("**", i)) {
                regex.append(".*");
                i += 2;
            } else if (text.charAt(i) == '*') {
                regex.append("[^/]*");
                i++;
            } else {
                int end = text.indexOf('*', i);
                end = end < 0 ? text.length() : end;
                regex.append(Pattern.quote(text.substring(i, end)));
                i = end;
            }
        }
        return regex.toString();
    }

    private static IllegalArgumentException invalid(String text, String expected) {
        return new IllegalArgumentException("repository pattern: \"" + text + "\" " + expected);
    }
}
