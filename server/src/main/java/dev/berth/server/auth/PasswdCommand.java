package dev.berth.server.auth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code berth passwd}: reads a password from the first line of standard input and prints its
 * bcrypt hash, for the {@code users} section of the configuration or an htpasswd file
 * ({@code name:hash}).
 *
 * <pre>
 * printf '%s\n' 'my secret' | berth passwd
 * $2y$10$...
 * </pre>
 *
 * <p>Only the line break ending the line ({@code \n} or {@code \r\n}) is removed: spaces and
 * every other character are part of the password. The input is read as UTF-8. An empty
 * password, or one over 72 bytes (bcrypt would ignore the rest), is refused with exit status 2.
 */
public final class PasswdCommand {
    /** Success: the hash is on standard output. */
    public static final int OK = 0;
    /** Standard input could not be read. */
    public static final int IO_ERROR = 1;
    /** The password was refused; the reason is on standard error. */
    public static final int REFUSED = 2;

    /** Longer lines are refused without reading on: no password over 72 bytes is accepted. */
    private static final int MAX_LINE_BYTES = 4096;

    private PasswdCommand() {
    }

    /** Runs the command with the default cost; returns the exit status. */
    public static int run(InputStream in, PrintStream out, PrintStream err) {
        return run(in, out, err, PasswordHashes.DEFAULT_COST);
    }

    static int run(InputStream in, PrintStream out, PrintStream err, int cost) {
        byte[] line;
        try {
            line = firstLine(in);
        } catch (IOException e) {
            err.println("berth passwd: standard input cannot be read: " + e.getMessage());
            return IO_ERROR;
        }
        if (line == null) {
            err.println("berth passwd: password line too long (expected: at most "
                    + PasswordHashes.MAX_PASSWORD_BYTES + " bytes)");
            return REFUSED;
        }
        try {
            return hashLine(line, out, err, cost);
        } finally {
            Arrays.fill(line, (byte) 0);
        }
    }

    private static int hashLine(byte[] line, PrintStream out, PrintStream err, int cost) {
        if (line.length == 0) {
            err.println("berth passwd: empty password refused (expected: the password on the "
                    + "first line of standard input)");
            return REFUSED;
        }
        if (line.length > PasswordHashes.MAX_PASSWORD_BYTES) {
            err.println("berth passwd: password of " + line.length + " bytes refused (expected: "
                    + "at most " + PasswordHashes.MAX_PASSWORD_BYTES
                    + " bytes in UTF-8, bcrypt ignores the rest)");
            return REFUSED;
        }
        String password;
        try {
            password = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line))
                    .toString();
        } catch (CharacterCodingException e) {
            err.println("berth passwd: password is not UTF-8 text (expected: UTF-8, as Docker "
                    + "clients send it)");
            return REFUSED;
        }
        out.println(PasswordHashes.hash(password, cost));
        return OK;
    }

    /**
     * The bytes of the first line without its line break, or null when the line is longer than
     * {@link #MAX_LINE_BYTES}.
     */
    private static byte[] firstLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b = in.read();
        while (b != -1 && b != '\n') {
            if (line.size() == MAX_LINE_BYTES) {
                return null;
            }
            line.write(b);
            b = in.read();
        }
        byte[] bytes = line.toByteArray();
        if (b == '\n' && bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
            byte[] withoutReturn = Arrays.copyOf(bytes, bytes.length - 1);
            Arrays.fill(bytes, (byte) 0);
            return withoutReturn;
        }
        return bytes;
    }
}
