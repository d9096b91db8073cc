package dev.berth.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RepositoryPatternTest {

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource({
        "team-a/**,       team-a/x,            true",
        "team-a/**,       team-a/x/y,          true",
        "team-a/**,       team-a,              false",
        "team-a/**,       team-ab/x,           false",
        "team-a/**,       other/team-a/x,      false",
        "team-a/*,        team-a/x,            true",
        "team-a/*,        team-a/x/y,          false",
        "team-a/*,        team-a,              false",
        "*,               library/alpine,      true",
        "*,               a/b/c,               true",
        "**,              alpine,              true",
        "**,              a/b/c,               true",
        "library/alpine,  library/alpine,      true",
        "library/alpine,  library/alpine-dev,  false",
        "library/alpine,  library/alpines,     false",
        "library/alpine,  x/library/alpine,    false",
        "app-*,           app-web,             true",
        "app-*,           app-web/db,          false",
        "*/app,           team-a/app,          true",
        "*/app,           team-a/b/app,        false",
        "**/app,          team-a/b/app,        true",
        "**/app,          app,                 false",
        "team-*/**,       team-b/x/y,          true",
        "team-*/**,       teams/x,             false",
        "a.b/c,           a.b/c,               true",
        "a.b/c,           axb/c,               false",
    })
    void matches_table(String pattern, String repository, boolean expected) {
        RepositoryPattern parsed = RepositoryPattern.parse(pattern);

        boolean matches = parsed.matches(repository);

        assertThat(matches).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Team-A/**", "team a", "/team-a", "team-a/", "team-a//x", "***",
        "team-a/***", "team-a/?", "team-a/[ab]", "team-a\\x"})
    void parse_invalidPattern_throwsNamingIt(String pattern) {
        assertThatThrownBy(() -> RepositoryPattern.parse(pattern))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("repository pattern: \"" + pattern + "\" (expected: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "team-a/**", "**/x", "a/*/b", "x_y.z-1/*-dev"})
    void parse_validPattern_keepsText(String pattern) {
        assertThat(RepositoryPattern.parse(pattern).text()).isEqualTo(pattern);
        assertThat(RepositoryPattern.parse(pattern)).isEqualTo(RepositoryPattern.parse(pattern));
    }
}
