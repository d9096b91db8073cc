package dev.berth.server.auth;

import static dev.berth.server.auth.Action.DELETE;
import static dev.berth.server.auth.Action.PULL;
import static dev.berth.server.auth.Action.PUSH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

class AccessRulesTest {
    private static final User ALICE = new User("alice", Set.of("team-a"));
    private static final User BOB = new User("bob", Set.of("team-b", "admins"));
    private static final User CAROL = User.named("carol");
    private static final Principal ANONYMOUS = Principal.anonymous();

    private final AccessRules rules = AccessRules.of(List.of(
            AccessRule.of(List.of("anonymous"), List.of("library/**"), List.of("pull")),
            AccessRule.of(List.of("*"), List.of("shared/*"), List.of("pull")),
            AccessRule.of(List.of("group:team-a"), List.of("team-a/**"), List.of("pull", "push")),
            AccessRule.of(List.of("group:admins"), List.of("**"), List.of("*")),
            AccessRule.of(List.of("alice"), List.of("team-a/**", "scratch"), List.of("delete"))));

    @Test
    void allowed_anonymous_onlyWhatAnonymousRulesGrant() {
        assertThat(rules.allowed(ANONYMOUS, "library/alpine")).containsExactly(PULL);
        assertThat(rules.allowed(ANONYMOUS, "shared/tools")).isEmpty();
        assertThat(rules.allowed(ANONYMOUS, "team-a/app")).isEmpty();
    }

    @Test
    void allowed_userInGroupWithOwnRule_unionOfMatchingRules() {
        assertThat(rules.allowed(ALICE, "team-a/app"))
                .containsExactlyInAnyOrder(PULL, PUSH, DELETE);
        assertThat(rules.allowed(ALICE, "scratch")).containsExactly(DELETE);
        assertThat(rules.allowed(ALICE, "team-b/app")).isEmpty();
    }

    @Test
    void allowed_anyAuthenticatedUser_getsStarAndAnonymousRules() {
        assertThat(rules.allowed(CAROL, "shared/tools")).containsExactly(PULL);
        assertThat(rules.allowed(CAROL, "library/alpine")).containsExactly(PULL);
        assertThat(rules.allowed(CAROL, "shared/tools/x")).isEmpty();
        assertThat(rules.allowed(CAROL, "team-a/app")).isEmpty();
    }

    @Test
    void allowed_adminsGroupWithStarActions_everythingEverywhere() {
        assertThat(rules.allowed(BOB, "team-a/app")).containsExactlyInAnyOrder(PULL, PUSH, DELETE);
        assertThat(rules.allowed(BOB, "anything")).containsExactlyInAnyOrder(PULL, PUSH, DELETE);
    }

    @Test
    void allowed_groupNameAsUserName_noMatch() {
        User impostor = User.named("team-a");

        assertThat(rules.allowed(impostor, "team-a/app")).isEmpty();
    }

    @Test
    void allowed_userPrefixedSubject_matchesUserCalledAnonymous() {
        AccessRules byPrefix = AccessRules.of(List.of(
                AccessRule.of(List.of("user:anonymous"), List.of("x"), List.of("push"))));

        assertThat(byPrefix.allowed(User.named("anonymous"), "x")).containsExactly(PUSH);
        assertThat(byPrefix.allowed(ANONYMOUS, "x")).isEmpty();
    }

    @Test
    void allowed_noRules_nothing() {
        assertThat(AccessRules.none().allowed(BOB, "team-a/app")).isEmpty();
        assertThat(AccessRules.none().allows(ANONYMOUS, "library/alpine", PULL)).isFalse();
    }

    @Test
    void pullable_catalogNames_keepsOnlyPullableOnes() {
        List<String> catalog = List.of("library/alpine", "scratch", "shared/tools", "team-a/app",
                "team-b/app");

        Predicate<String> forAlice = rules.pullable(ALICE);
        Predicate<String> forAnonymous = rules.pullable(ANONYMOUS);

        assertThat(catalog.stream().filter(forAlice))
                .containsExactly("library/alpine", "shared/tools", "team-a/app");
        assertThat(catalog.stream().filter(forAnonymous)).containsExactly("library/alpine");
        assertThat(catalog.stream().filter(rules.pullable(BOB))).containsExactlyElementsOf(catalog);
    }

    @Test
    void accessRuleOf_invalidPieces_throwNamingThem() {
        assertThatThrownBy(() -> AccessRule.of(
                List.of("alice"), List.of("Team/**"), List.of("pull")))
                .hasMessageContaining("Team/**");
        assertThatThrownBy(() -> AccessRule.of(List.of("alice"), List.of("x"), List.of("Pull")))
                .hasMessage("action: \"Pull\" (expected: pull, push, delete or *)");
        assertThatThrownBy(() -> AccessRule.of(List.of("group:"), List.of("x"), List.of("pull")))
                .hasMessageContaining("subject: \"group:\"");
        assertThatThrownBy(() -> AccessRule.of(
                List.of("groups:admins"), List.of("x"), List.of("pull")))
                .hasMessageContaining("groups:admins");
        assertThatThrownBy(() -> AccessRule.of(List.of(" alice"), List.of("x"), List.of("pull")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccessRule.of(List.of("alice"), List.of("x"), List.of()))
                .hasMessageContaining("expected: at least one of each");
        assertThatThrownBy(() -> AccessRule.of(List.of(), List.of("x"), List.of("pull")))
                .hasMessageContaining("expected: at least one of each");
    }

    @Test
    void actionParse_namesAndStar_actions() {
        assertThat(Action.parse("pull")).containsExactly(PULL);
        assertThat(Action.parse("*")).containsExactlyInAnyOrder(PULL, PUSH, DELETE);
        assertThat(Action.parseAll(List.of("push", "pull", "push")))
                .containsExactlyInAnyOrder(PULL, PUSH);
        assertThat(Action.find("PUSH")).isEmpty();
        assertThat(DELETE.value()).isEqualTo("delete");
    }
}
