package dev.berth.server.auth;

import java.security.SecureRandom;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users who may log in: those of an htpasswd file and those written in the configuration.
 * Names are case-sensitive. When both sources name the same user, the configuration wins, with
 * a WARN when the directory is built.
 *
 * <p>{@link #authenticate} answers the same way, and takes about the same time, whether the user
 * is unknown or the password is wrong: an unknown name is checked against a dummy hash of the
 * cost most users have, so the answer's timing does not tell which names exist.
 *
 * <p>Limitation: users whose hashes have a different cost from the most common one answer
 * faster or slower than an unknown name does, so timing can tell that such a name exists.
 *
 * <p>Limitation: htpasswd users belong to no group; only users written in the configuration
 * have groups.
 */
public final class UserDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(UserDirectory.class);

    private final Map<String, Entry> entries;
    private final String dummyHash;

    private UserDirectory(Map<String, Entry> entries) {
        this.entries = Map.copyOf(entries);
        this.dummyHash = PasswordHashes.hash(randomPassword(), commonCost(entries.values()));
    }

    /**
     * The users of {@code htpasswd} and {@code configUsers}.
     *
     * @throws IllegalArgumentException if two configured users have the same name
     */
    public static UserDirectory of(Htpasswd htpasswd, Collection<ConfigUser> configUsers) {
        return of(htpasswd.hashes(), configUsers);
    }

    /** The users written in the configuration only. */
    public static UserDirectory of(Collection<ConfigUser> configUsers) {
        return of(Map.of(), configUsers);
    }

    /**
     * The users of an htpasswd file, given as name to bcrypt hash, and {@code configUsers}.
     *
     * @throws IllegalArgumentException if a hash is not bcrypt or two configured users have the
     *     same name
     */
    public static UserDirectory of(Map<String, String> htpasswdHashes,
            Collection<ConfigUser> configUsers) {
        Map<String, Entry> entries = new HashMap<>();
        htpasswdHashes.forEach((name, hash) -> {
            if (!PasswordHashes.isBcrypt(hash)) {
                throw new IllegalArgumentException("password hash of user " + name
                        + ": not a bcrypt hash (expected: $2y$, $2b$ or $2a$)");
            }
            entries.put(name, new Entry(User.named(name), hash));
        });
        Map<String, ConfigUser> configured = new HashMap<>();
        for (ConfigUser user : configUsers) {
            if (configured.put(user.name(), user) != null) {
                throw new IllegalArgumentException("users: " + user.name()
                        + " appears twice (expected: each user once)");
            }
            if (entries.containsKey(user.name())) {
                LOG.warn("user in both htpasswd and config, the config entry wins user={}",
                        user.name());
            }
            User named = new User(user.name(), user.groups());
            entries.put(user.name(), new Entry(named, user.passwordHash()));
        }
        return new UserDirectory(entries);
    }

    /**
     * The user named {@code name} if {@code password} is theirs, else empty, whether the name is
     * unknown or the password wrong. Costs one bcrypt check either way.
     */
    public Optional<User> authenticate(String name, String password) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(password, "password");
        Entry entry = entries.get(name);
        String hash = entry == null ? dummyHash : entry.hash();

        boolean matches = PasswordHashes.matches(password, hash);

        return matches && entry != null ? Optional.of(entry.user()) : Optional.empty();
    }

    /** The user named {@code name}, without checking any password (to renew a token, say). */
    public Optional<User> find(String name) {
        Entry entry = entries.get(name);
        return entry == null ? Optional.empty() : Optional.of(entry.user());
    }

    /** Whether there are no users at all, which leaves authentication off. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The names of all users. */
    public Set<String> names() {
        return entries.keySet();
    }

    /** The cost of the hash an unknown name is checked against. */
    int dummyCost() {
        return PasswordHashes.cost(dummyHash);
    }

    /** Says how many users, never their hashes. */
    @Override
    public String toString() {
        return "UserDirectory[users=" + entries.size() + "]";
    }

    /** The cost most hashes have (the higher on a tie), or the default for no users. */
    private static int commonCost(Collection<Entry> entries) {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (Entry entry : entries) {
            counts.merge(PasswordHashes.cost(entry.hash()), 1, Integer::sum);
        }
        int best = PasswordHashes.DEFAULT_COST;
        int bestCount = 0;
        for (Map.Entry<Integer, Integer> count : counts.entrySet()) {
            if (count.getValue() >= bestCount) {
                best = count.getKey();
                bestCount = count.getValue();
            }
        }
        return best;
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        StringBuilder password = new StringBuilder();
        for (byte b : bytes) {
            password.append(Character.forDigit((b >> 4) & 0xf, 16))
                    .append(Character.forDigit(b & 0xf, 16));
        }
        return password.toString();
    }

    /** A user and the hash of their password; kept out of logs by never being printed. */
    private record Entry(User user, String hash) {
        @Override
        public String toString() {
            return "Entry[user=" + user.name() + "]";
        }
    }
}
