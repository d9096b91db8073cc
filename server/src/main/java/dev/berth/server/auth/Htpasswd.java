package dev.berth.server.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users of an htpasswd file, read once when the server starts.
 *
 * <p>Each line is {@code name:hash}, split at the first colon: a user name never contains one
 * (Basic credentials could not carry it), and a bcrypt hash never does either. Blank lines and
 * lines starting with {@code #} are ignored; whitespace around a line is dropped. Only bcrypt
 * hashes ({@code htpasswd -B}) are accepted: a line with an MD5 ({@code $apr1$}), SHA-1
 * ({@code {SHA}}), crypt or plain-text password is skipped with a WARN naming the user and the
 * line, never the hash. When a user appears twice the later line wins, with a WARN.
 *
 * <p>Limitation: the file is read once; a changed file takes effect when it is read again
 * ({@link #read} and a new {@link UserDirectory}), which the server does only at start.
 */
public final class Htpasswd {
    private static final Logger LOG = LoggerFactory.getLogger(Htpasswd.class);

    private final Map<String, String> hashes;

    private Htpasswd(Map<String, String> hashes) {
        this.hashes = Collections.unmodifiableMap(hashes);
    }

    /**
     * Reads the UTF-8 file {@code file}.
     *
     * @throws IOException if the file cannot be read or is not UTF-8
     */
    public static Htpasswd read(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IOException("htpasswd file " + file + " is not UTF-8 text", e);
        }
        return parse(text.lines().toList(), file.toString());
    }

    /**
     * Parses the lines of an htpasswd file; {@code source} names it in log lines.
     */
    public static Htpasswd parse(List<String> lines, String source) {
        Map<String, String> hashes = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int number = i + 1;
            String line = lines.get(i).strip();
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1).strip();
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                LOG.warn("htpasswd line skipped, expected name:hash, the line is not shown "
                        + "file={} line={}", source, number);
                continue;
            }
            String name = line.substring(0, colon);
            String hash = line.substring(colon + 1).strip();
            if (!PasswordHashes.isBcrypt(hash)) {
                LOG.warn("htpasswd user skipped, only bcrypt hashes are accepted (htpasswd -B) "
                        + "file={} line={} user={} scheme={}", source, number, name, scheme(hash));
                continue;
            }
            Integer previous = lineOf.put(name, number);
            if (previous != null) {
                LOG.warn("htpasswd user defined twice, the later line wins "
                        + "file={} user={} line={} previous={}", source, name, number, previous);
            }
            hashes.put(name, hash);
        }
        return new Htpasswd(hashes);
    }

    /** The bcrypt hash of each user, by name, in file order. */
    public Map<String, String> hashes() {
        return hashes;
    }

    /** Says how many users, never their hashes. */
    @Override
    public String toString() {
        return "Htpasswd[users=" + hashes.size() + "]";
    }

    /** A name for the kind of hash, safe to log: it never contains any of the hash itself. */
    private static String scheme(String hash) {
        if (hash.startsWith("$apr1$")) {
            return "apr1-md5";
        }
        if (hash.startsWith("{SHA}")) {
            return "sha1";
        }
        if (hash.startsWith("$2")) {
            return "bcrypt-malformed";
        }
        if (hash.startsWith("$1$") || hash.startsWith("$5$") || hash.startsWith("$6$")) {
            return "crypt";
        }
        return hash.length() == 13 ? "crypt-des" : "unknown";
    }
}
