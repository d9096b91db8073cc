package dev.berth.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class PasswdCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void run_passwordLine_printsHashThatVerifies() {
        int status = run("p\u00e4ssw\u00f6rd: @!x\n", 4);

        assertThat(status).isZero();
        assertThat(err()).isEmpty();
        assertThat(out()).endsWith("\n");
        String hash = out().strip();
        assertThat(hash).startsWith("$2y$04$");
        assertThat(PasswordHashes.matches("p\u00e4ssw\u00f6rd: @!x", hash)).isTrue();
    }

    @Test
    void run_defaultCost_hashHasCost10() {
        int status = PasswdCommand.run(input("s3cret\n"), printer(out), printer(err));

        assertThat(status).isEqualTo(PasswdCommand.OK);
        assertThat(PasswordHashes.cost(out().strip())).isEqualTo(10);
        assertThat(PasswordHashes.matches("s3cret", out().strip())).isTrue();
    }

    @Test
    void run_spacesAroundAndCrLf_keepsSpacesDropsOnlyLineBreak() {
        int status = run("  two spaces each side  \r\nsecond line ignored\n", 4);

        assertThat(status).isZero();
        assertThat(PasswordHashes.matches("  two spaces each side  ", out().strip())).isTrue();
        assertThat(PasswordHashes.matches("two spaces each side", out().strip())).isFalse();
    }

    @Test
    void run_noLineBreakAtEnd_wholeInputIsPassword() {
        int status = run("a:b:c", 4);

        assertThat(status).isZero();
        assertThat(PasswordHashes.matches("a:b:c", out().strip())).isTrue();
    }

    @Test
    void run_carriageReturnInsideLine_partOfPassword() {
        int status = run("ab\rcd\n", 4);

        assertThat(status).isZero();
        assertThat(PasswordHashes.matches("ab\rcd", out().strip())).isTrue();
    }

    @Test
    void run_emptyLineOrNoInput_refusedWithStatus2() {
        assertThat(run("\n", 4)).isEqualTo(2);
        assertThat(run("\r\n", 4)).isEqualTo(2);
        assertThat(run("", 4)).isEqualTo(2);
        assertThat(out()).isEmpty();
        assertThat(err()).contains("empty password refused");
    }

    @Test
    void run_over72Bytes_refusedWithStatus2() {
        int status = run("\u00e4".repeat(37) + "\n", 4);

        assertThat(status).isEqualTo(2);
        assertThat(out()).isEmpty();
        assertThat(err()).contains("74 bytes").doesNotContain("\u00e4");
    }

    @Test
    void run_veryLongLine_refusedWithoutReadingAll() {
        int status = run("x".repeat(100_000), 4);

        assertThat(status).isEqualTo(2);
        assertThat(err()).contains("too long");
    }

    @Test
    void run_notUtf8_refusedWithStatus2() {
        InputStream latin1 = new ByteArrayInputStream(new byte[] {'p', (byte) 0xe4, 's', '\n'});

        int status = PasswdCommand.run(latin1, printer(out), printer(err), 4);

        assertThat(status).isEqualTo(2);
        assertThat(err()).contains("not UTF-8");
    }

    @Test
    void run_inputFails_status1() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("stream closed");
            }
        };

        int status = PasswdCommand.run(broken, printer(out), printer(err), 4);

        assertThat(status).isEqualTo(1);
        assertThat(err()).contains("stream closed");
    }

    private int run(String input, int cost) {
        return PasswdCommand.run(input(input), printer(out), printer(err), cost);
    }

    private static PrintStream printer(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private static InputStream input(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
