package dev.berth.server.auth;

import java.util.Objects;
import java.util.Set;

/**
 * A user written in the configuration file, next to or instead of an htpasswd file.
 *
 * @param name the user name: not empty, no colon (Basic credentials cannot carry one), no
 *     control characters and no whitespace at either end
 * @param passwordHash a bcrypt hash, as {@code berth passwd} or {@code htpasswd -nB} prints it
 * @param groups the names of its groups, possibly none
 */
public record ConfigUser(String name, String passwordHash, Set<String> groups) {
    public ConfigUser {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(passwordHash, "passwordHash");
        if (name.isEmpty() || !name.strip().equals(name) || name.indexOf(':') >= 0
                || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("user name: \"" + name + "\" (expected: no colon, "
                    + "no control characters, no whitespace at either end)");
        }
        if (!PasswordHashes.isBcrypt(passwordHash)) {
            // The value is not shown: a misplaced plain-text password must not reach a log.
            throw new IllegalArgumentException("password hash of user " + name
                    + ": not a bcrypt hash (expected: $2y$, $2b$ or $2a$, as berth passwd "
                    + "or htpasswd -nB prints it)");
        }
        groups = Set.copyOf(groups);
        for (String group : groups) {
            if (group.isBlank() || !group.strip().equals(group)) {
                throw new IllegalArgumentException("group of user " + name + ": \"" + group
                        + "\" (expected: a name without whitespace at either end)");
            }
        }
    }

    /** Shows the name and groups, never the hash. */
    @Override
    public String toString() {
        return "ConfigUser[name=" + name + ", groups=" + groups + "]";
    }
}
