package dev.berth.storage.sqlite;

import java.util.BitSet;

/**
 * SQL with its placeholders made ready for SQLite, and how many values it takes.
 *
 * <p>Two styles are accepted, one per statement: anonymous {@code ?} placeholders bound in the
 * order they appear, and numbered {@code $1, $2, ...} placeholders bound by number (index
 * {@code n - 1}). SQLite would number {@code $1} as a named parameter in order of first
 * appearance, so {@code $2 ... $1} would swap values; each {@code $n} is therefore rewritten to
 * {@code ?n}, SQLite's explicitly numbered form, which also lets one number appear twice.
 * String literals, quoted identifiers and comments are copied untouched.
 *
 * <p>Limitation: SQLite's named placeholders ({@code :name}, {@code @name}, {@code $name}) are
 * not supported; {@code $name} is rejected and the others pass through unbound.
 *
 * @param jdbcSql the SQL to prepare
 * @param parameterCount how many values each run binds
 */
record ParsedSql(String jdbcSql, int parameterCount) {
    /** SQLite's default SQLITE_MAX_VARIABLE_NUMBER. */
    private static final int MAX_PARAMETERS = 32_766;

    static ParsedSql parse(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        BitSet numbered = new BitSet();
        int anonymous = 0;
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            int end = skipLiteral(sql, i);
            if (end > i) {
                out.append(sql, i, end);
                i = end;
            } else if (c == '?' || (c == '$' && !insideIdentifier(sql, i))) {
                int digits = digitsEnd(sql, i + 1);
                if (digits > i + 1) {
                    int number = number(sql, i, digits);
                    numbered.set(number - 1);
                    out.append('?').append(number);
                    i = digits;
                } else if (c == '?') {
                    anonymous++;
                    out.append(c);
                    i++;
                } else {
                    throw new IllegalArgumentException("placeholder at offset " + i
                            + ": $ without a number (expected: $1, $2, ... or ?)");
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return new ParsedSql(out.toString(), count(anonymous, numbered));
    }

    private static int count(int anonymous, BitSet numbered) {
        if (numbered.isEmpty()) {
            return anonymous;
        }
        if (anonymous > 0) {
            throw new IllegalArgumentException(
                    "placeholders: both ? and $n (expected: one style per statement)");
        }
        if (numbered.cardinality() != numbered.length()) {
            throw new IllegalArgumentException("placeholders: $" + (numbered.nextClearBit(0) + 1)
                    + " missing (expected: $1 to $" + numbered.length() + " without gaps)");
        }
        return numbered.length();
    }

    /** The end of a literal, quoted identifier or comment starting at {@code i}, else {@code i}. */
    private static int skipLiteral(String sql, int i) {
        char c = sql.charAt(i);
        char next = i + 1 < sql.length() ? sql.charAt(i + 1) : 0;
        if (c == '\'' || c == '"' || c == '`') {
            return quotedEnd(sql, i, c);
        }
        if (c == '[') {
            return until(sql, i + 1, "]");
        }
        if (c == '-' && next == '-') {
            return until(sql, i + 2, "\n");
        }
        if (c == '/' && next == '*') {
            return until(sql, i + 2, "*/");
        }
        return i;
    }

    /** A quote ends at its next single occurrence; a doubled quote is an escaped one. */
    private static int quotedEnd(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }

    private static int until(String sql, int from, String terminator) {
        int at = sql.indexOf(terminator, from);
        return at < 0 ? sql.length() : at + terminator.length();
    }

    /** SQLite lets {@code $} appear inside an identifier, as in {@code price$1}. */
    private static boolean insideIdentifier(String sql, int i) {
        if (i == 0) {
            return false;
        }
        char before = sql.charAt(i - 1);
        return Character.isLetterOrDigit(before) || before == '_' || before == '$' || before > 0x7f;
    }

    private static int digitsEnd(String sql, int from) {
        int i = from;
        while (i < sql.length() && sql.charAt(i) >= '0' && sql.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    private static int number(String sql, int start, int end) {
        String text = sql.substring(start + 1, end);
        int number = text.length() > 5 ? Integer.MAX_VALUE : Integer.parseInt(text);
        if (number < 1 || number > MAX_PARAMETERS) {
            throw new IllegalArgumentException("placeholder: " + sql.substring(start, end)
                    + " (expected: 1 to " + MAX_PARAMETERS + ")");
        }
        return number;
    }
}
