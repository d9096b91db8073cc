package dev.berth.server.auth;

import static dev.berth.server.auth.Fixtures.ALICE_HASH;
import static dev.berth.server.auth.Fixtures.ALICE_PASSWORD;
import static dev.berth.server.auth.Fixtures.BOB_HASH;
import static dev.berth.server.auth.Fixtures.BOB_PASSWORD;
import static dev.berth.server.auth.Fixtures.CAROL_HASH;
import static dev.berth.server.auth.Fixtures.DAVE_HASH;
import static dev.berth.server.auth.Fixtures.KIM_HASH;
import static dev.berth.server.auth.Fixtures.LEE_HASH;
import static dev.berth.server.auth.Fixtures.LEE_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class UserDirectoryTest {
    private static final Htpasswd HTPASSWD = Htpasswd.parse(
            List.of("alice:" + ALICE_HASH, "bob:" + BOB_HASH), "users.htpasswd");

    private final UserDirectory directory = UserDirectory.of(HTPASSWD,
            List.of(new ConfigUser("lee", LEE_HASH, Set.of("ci", "team-a"))));

    @Test
    void authenticate_htpasswdUserRightPassword_userWithoutGroups() {
        Optional<User> user = directory.authenticate("alice", ALICE_PASSWORD);

        assertThat(user).contains(new User("alice", Set.of()));
    }

    @Test
    void authenticate_configUserRightPassword_userWithGroups() {
        Optional<User> user = directory.authenticate("lee", LEE_PASSWORD);

        assertThat(user).hasValueSatisfying(lee -> {
            assertThat(lee.name()).isEqualTo("lee");
            assertThat(lee.groups()).containsExactlyInAnyOrder("ci", "team-a");
        });
    }

    @Test
    void authenticate_passwordWithColons_user() {
        assertThat(directory.authenticate("bob", BOB_PASSWORD)).isPresent();
    }

    @Test
    void authenticate_wrongPasswordOrUnknownUser_sameEmptyAnswer() {
        Optional<User> wrongPassword = directory.authenticate("alice", BOB_PASSWORD);
        Optional<User> unknownUser = directory.authenticate("mallory", ALICE_PASSWORD);
        Optional<User> otherUsersPassword = directory.authenticate("bob", ALICE_PASSWORD);

        assertThat(wrongPassword).isEmpty();
        assertThat(unknownUser).isEmpty();
        assertThat(otherUsersPassword).isEmpty();
    }

    @Test
    void authenticate_nameInOtherCase_empty() {
        assertThat(directory.authenticate("Alice", ALICE_PASSWORD)).isEmpty();
        assertThat(directory.authenticate("ALICE", ALICE_PASSWORD)).isEmpty();
    }

    @Test
    void authenticate_unknownUser_stillRunsOneBcryptCheck() {
        UserDirectory slow = UserDirectory.of(Map.of("kim", KIM_HASH), List.of());

        long start = System.nanoTime();
        Optional<User> user = slow.authenticate("nobody", "correct horse");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(user).isEmpty();
        assertThat(slow.dummyCost()).isEqualTo(10);
        // A cost-10 check takes tens of milliseconds; a skipped one takes microseconds.
        assertThat(took).isGreaterThan(Duration.ofMillis(5));
    }

    @Test
    void dummyCost_mixedCosts_mostCommonCost() {
        UserDirectory mixed = UserDirectory.of(Map.of("alice", ALICE_HASH, "carol", CAROL_HASH,
                "dave", DAVE_HASH), List.of());

        assertThat(mixed.dummyCost()).isEqualTo(4);
        assertThat(UserDirectory.of(List.of()).dummyCost()).isEqualTo(PasswordHashes.DEFAULT_COST);
    }

    @Test
    void of_configUserAlsoInHtpasswd_configWinsWithWarn() {
        ConfigUser alice = new ConfigUser("alice", LEE_HASH, Set.of("admins"));

        UserDirectory merged;
        List<String> warnings;
        try (LogCapture log = new LogCapture(UserDirectory.class)) {
            merged = UserDirectory.of(HTPASSWD, List.of(alice));
            warnings = log.warnings();
        }

        assertThat(merged.authenticate("alice", ALICE_PASSWORD)).isEmpty();
        assertThat(merged.authenticate("alice", LEE_PASSWORD))
                .contains(new User("alice", Set.of("admins")));
        assertThat(warnings).singleElement().asString()
                .contains("user=alice")
                .doesNotContain("$2y$");
    }

    @Test
    void of_sameConfigUserTwice_throws() {
        List<ConfigUser> users = List.of(new ConfigUser("lee", LEE_HASH, Set.of()),
                new ConfigUser("lee", ALICE_HASH, Set.of()));

        assertThatThrownBy(() -> UserDirectory.of(users))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("users: lee appears twice (expected: each user once)");
    }

    @Test
    void find_knownAndUnknown_userOrEmpty() {
        assertThat(directory.find("lee")).map(User::groups).contains(Set.of("ci", "team-a"));
        assertThat(directory.find("mallory")).isEmpty();
        assertThat(directory.names()).containsExactlyInAnyOrder("alice", "bob", "lee");
        assertThat(directory.isEmpty()).isFalse();
        assertThat(UserDirectory.of(List.of()).isEmpty()).isTrue();
    }

    @Test
    void configUser_plainTextPassword_throwsWithoutShowingIt() {
        assertThatThrownBy(() -> new ConfigUser("lee", "hunter2", Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user lee")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void configUser_nameWithColonOrSpaceAtEnd_throws() {
        assertThatThrownBy(() -> new ConfigUser("team:lee", LEE_HASH, Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no colon");
        assertThatThrownBy(() -> new ConfigUser("lee ", LEE_HASH, Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConfigUser("", LEE_HASH, Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toString_directoryAndConfigUser_neverShowHashes() {
        ConfigUser lee = new ConfigUser("lee", LEE_HASH, Set.of("ci"));

        assertThat(directory.toString()).doesNotContain("$2y$");
        assertThat(lee.toString()).contains("lee").doesNotContain(LEE_HASH);
    }
}
