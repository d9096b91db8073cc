package dev.berth.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

class ScopeTest {

    @Test
    void parse_repositoryScope_nameAndActions() {
        Scope scope = Scope.parse("repository:team-a/app:pull,push");

        assertThat(scope).isEqualTo(new Scope("repository", "team-a/app", List.of("pull", "push")));
        assertThat(scope.toString()).isEqualTo("repository:team-a/app:pull,push");
    }

    @Test
    void parse_nameWithPort_keepsEverythingBetweenFirstAndLastColon() {
        Scope scope = Scope.parse("repository:localhost:5000/app:pull");

        assertThat(scope.name()).isEqualTo("localhost:5000/app");
    }

    @Test
    void parse_notAScope_null() {
        assertThat(Scope.parse("repository")).isNull();
        assertThat(Scope.parse("repository:app")).isNull();
    }

    @Test
    void basic_passwordWithColons_splitAtFirstColonOnly() {
        String header = "Basic " + Base64.getEncoder()
                .encodeToString("alice:pa:ss @!wörd".getBytes(StandardCharsets.UTF_8));

        String[] credentials = Authenticator.basic(header);

        assertThat(credentials).containsExactly("alice", "pa:ss @!wörd");
    }

    @Test
    void basic_malformed_null() {
        assertThat(Authenticator.basic("Basic !!!")).isNull();
        // Shorter than the scheme, or another scheme: no credentials, not an exception (a 500).
        assertThat(Authenticator.basic("Basic")).isNull();
        assertThat(Authenticator.basic("x")).isNull();
        assertThat(Authenticator.basic("Bearer " + Base64.getEncoder().encodeToString("a:b".getBytes(
                StandardCharsets.UTF_8)))).isNull();
        assertThat(Authenticator.basic("Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes(
                StandardCharsets.UTF_8)))).isNull();
    }
}
