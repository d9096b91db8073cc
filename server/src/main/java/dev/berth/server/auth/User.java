package dev.berth.server.auth;

import java.util.Objects;
import java.util.Set;

/**
 * An authenticated user and the groups it belongs to. Names are case-sensitive.
 *
 * @param name the user name, as typed at {@code docker login}
 * @param groups the names of its groups, possibly none
 */
public record User(String name, Set<String> groups) implements Principal {
    public User {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name: empty (expected: a user name)");
        }
        groups = Set.copyOf(groups);
    }

    /** A user in no group. */
    public static User named(String name) {
        return new User(name, Set.of());
    }

    @Override
    public boolean isAnonymous() {
        return false;
    }

    /** Whether the user belongs to {@code group}. */
    public boolean inGroup(String group) {
        return groups.contains(group);
    }
}
