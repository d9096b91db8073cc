package dev.berth.server.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Checks passwords against bcrypt hashes and makes new ones.
 *
 * <p>A password is the UTF-8 encoding of its characters, exactly as {@code htpasswd -B} hashes
 * the bytes it is given: {@code pässwörd} typed on a UTF-8 terminal and sent by a Docker client
 * verifies against the hash {@code htpasswd} wrote. Hashes of the {@code $2a$}, {@code $2b$} and
 * {@code $2y$} variants are accepted; new hashes are written as {@code $2y$}, the variant
 * {@code htpasswd} writes. The comparison of the computed and the stored hash takes the same
 * time wherever they differ.
 *
 * <p>Passwords are compared byte for byte, without Unicode normalisation, as {@code htpasswd}
 * and Docker clients do: {@code ä} typed as one code point and as {@code a} with a combining
 * diaeresis are different passwords.
 *
 * <p>Limitation: bcrypt reads only the first 72 bytes of a password. A hash made elsewhere from
 * a longer password also accepts any password sharing those 72 bytes. {@link #hash} refuses
 * passwords over 72 bytes, so hashes Berth makes never have this weakness.
 */
public final class PasswordHashes {
    /** The cost {@code berth passwd} uses: 2^10 rounds, some tens of milliseconds per check. */
    public static final int DEFAULT_COST = 10;
    public static final int MIN_COST = 4;
    public static final int MAX_COST = 31;
    /** Bytes of a password that bcrypt reads; the rest is ignored. */
    public static final int MAX_PASSWORD_BYTES = 72;

    private static final Pattern BCRYPT =
            Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SALT_BYTES = 16;

    private PasswordHashes() {
    }

    /** Whether {@code hash} is a well-formed bcrypt hash of a supported variant and cost. */
    public static boolean isBcrypt(String hash) {
        if (hash == null) {
            return false;
        }
        Matcher matcher = BCRYPT.matcher(hash);
        if (!matcher.matches()) {
            return false;
        }
        int cost = Integer.parseInt(matcher.group(1));
        return cost >= MIN_COST && cost <= MAX_COST;
    }

    /**
     * The cost (log2 of the rounds) of a bcrypt hash.
     *
     * @throws IllegalArgumentException if {@code hash} is not a bcrypt hash
     */
    public static int cost(String bcryptHash) {
        requireBcrypt(bcryptHash);
        return Integer.parseInt(bcryptHash.substring(4, 6));
    }

    /**
     * Whether {@code password} is the one {@code bcryptHash} was made from. A password with
     * unpaired surrogates has no UTF-8 form and matches nothing.
     *
     * @throws IllegalArgumentException if {@code bcryptHash} is not a bcrypt hash; the message
     *     never contains the hash
     */
    public static boolean matches(String password, String bcryptHash) {
        Objects.requireNonNull(password, "password");
        return matches(CharBuffer.wrap(password), bcryptHash);
    }

    /** As {@link #matches(String, String)}, for a password the caller clears after use. */
    public static boolean matches(char[] password, String bcryptHash) {
        Objects.requireNonNull(password, "password");
        return matches(CharBuffer.wrap(password), bcryptHash);
    }

    /**
     * A new {@code $2y$} hash of {@code password} with a random salt and {@link #DEFAULT_COST}.
     *
     * @throws IllegalArgumentException if the password is empty, has no UTF-8 form or is longer
     *     than 72 bytes in UTF-8
     */
    public static String hash(String password) {
        return hash(password, DEFAULT_COST);
    }

    /**
     * A new {@code $2y$} hash of {@code password} with a random salt and the given cost.
     *
     * @throws IllegalArgumentException if the cost is outside 4 to 31, or the password is empty,
     *     has no UTF-8 form or is longer than 72 bytes in UTF-8
     */
    public static String hash(String password, int cost) {
        Objects.requireNonNull(password, "password");
        if (cost < MIN_COST || cost > MAX_COST) {
            throw new IllegalArgumentException("cost: " + cost
                    + " (expected: " + MIN_COST + " to " + MAX_COST + ")");
        }
        if (password.isEmpty()) {
            throw new IllegalArgumentException(
                    "password: empty (expected: at least one character)");
        }
        byte[] bytes = utf8(CharBuffer.wrap(password));
        if (bytes == null) {
            throw new IllegalArgumentException(
                    "password: unpaired surrogate (expected: valid Unicode text)");
        }
        try {
            if (bytes.length > MAX_PASSWORD_BYTES) {
                throw new IllegalArgumentException("password: " + bytes.length
                        + " bytes in UTF-8 (expected: at most " + MAX_PASSWORD_BYTES
                        + ", bcrypt ignores the rest)");
            }
            byte[] salt = new byte[SALT_BYTES];
            RANDOM.nextBytes(salt);
            return OpenBSDBCrypt.generate("2y", bytes, salt, cost);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static boolean matches(CharBuffer password, String bcryptHash) {
        requireBcrypt(bcryptHash);
        byte[] bytes = utf8(password);
        if (bytes == null) {
            return false;
        }
        try {
            // OpenBSDBCrypt keeps only the first 72 bytes, as every bcrypt does.
            return OpenBSDBCrypt.checkPassword(bcryptHash, bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** The strict UTF-8 encoding of {@code chars}, or null for text with unpaired surrogates. */
    private static byte[] utf8(CharBuffer chars) {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer encoded;
        try {
            encoded = encoder.encode(chars);
        } catch (CharacterCodingException e) {
            return null;
        }
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return bytes;
    }

    private static void requireBcrypt(String bcryptHash) {
        if (!isBcrypt(bcryptHash)) {
            throw new IllegalArgumentException("bcryptHash: not a bcrypt hash (expected: $2a$, "
                    + "$2b$ or $2y$, a cost of 04 to 31 and 53 characters of salt and hash)");
        }
    }
}
