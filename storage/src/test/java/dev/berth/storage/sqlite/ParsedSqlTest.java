package dev.berth.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Placeholder rewriting, without a database. */
class ParsedSqlTest {
    @Test
    void parse_questionMarks_keptAndCounted() {
        ParsedSql parsed = ParsedSql.parse("SELECT * FROM t WHERE a = ? AND b IN (?, ?)");

        assertThat(parsed.jdbcSql()).isEqualTo("SELECT * FROM t WHERE a = ? AND b IN (?, ?)");
        assertThat(parsed.parameterCount()).isEqualTo(3);
    }

    @Test
    void parse_dollarNumbers_becomeNumberedQuestionMarks() {
        ParsedSql parsed = ParsedSql.parse("UPDATE t SET a = $2 WHERE b = $1 OR c = $2");

        assertThat(parsed.jdbcSql()).isEqualTo("UPDATE t SET a = ?2 WHERE b = ?1 OR c = ?2");
        assertThat(parsed.parameterCount()).isEqualTo(2);
    }

    @Test
    void parse_placeholdersInLiteralsAndComments_leftAlone() {
        String sql = "SELECT '$1 ?', \"col?\", [x$2], `y?` -- $3 ?\n"
                + " FROM t /* ? $4 */ WHERE a = $1";

        ParsedSql parsed = ParsedSql.parse(sql);

        assertThat(parsed.jdbcSql()).isEqualTo(sql.replace("a = $1", "a = ?1"));
        assertThat(parsed.parameterCount()).isEqualTo(1);
    }

    @Test
    void parse_escapedQuoteInLiteral_staysInsideLiteral() {
        ParsedSql parsed = ParsedSql.parse("SELECT 'it''s $1' WHERE a = ?");

        assertThat(parsed.jdbcSql()).isEqualTo("SELECT 'it''s $1' WHERE a = ?");
        assertThat(parsed.parameterCount()).isEqualTo(1);
    }

    @Test
    void parse_dollarInsideIdentifier_notAPlaceholder() {
        ParsedSql parsed = ParsedSql.parse("SELECT price$1 FROM t");

        assertThat(parsed.jdbcSql()).isEqualTo("SELECT price$1 FROM t");
        assertThat(parsed.parameterCount()).isZero();
    }

    @Test
    void parse_bothStyles_throwsIllegalArgument() {
        assertThatThrownBy(() -> ParsedSql.parse("SELECT ?, $1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("both ? and $n");
    }

    @Test
    void parse_gapInNumbers_throwsIllegalArgument() {
        assertThatThrownBy(() -> ParsedSql.parse("SELECT $1, $3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$2 missing");
    }

    @Test
    void parse_namedOrZeroPlaceholder_throwsIllegalArgument() {
        assertThatThrownBy(() -> ParsedSql.parse("SELECT $name"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ParsedSql.parse("SELECT $0"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
