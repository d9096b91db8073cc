package dev.berth.core;

import static dev.berth.core.RegistryFailures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DigesterTest {
    private static final byte[] CONTENT = content(100_003);

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 4096, 65_536, 100_003})
    void update_byteArrayChunks_equalsOneShotDigest(int chunk) {
        Digester digester = Digester.sha256();

        for (int offset = 0; offset < CONTENT.length; offset += chunk) {
            digester.update(CONTENT, offset, Math.min(chunk, CONTENT.length - offset));
        }

        assertThat(digester.digest()).isEqualTo(reference("SHA-256", Digest.SHA256, CONTENT));
        assertThat(digester.bytes()).isEqualTo(CONTENT.length);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void update_byteBufferChunks_equalsOneShotDigest(boolean direct) {
        Digester digester = Digester.sha256();

        for (int offset = 0; offset < CONTENT.length; offset += 8192) {
            int length = Math.min(8192, CONTENT.length - offset);
            ByteBuffer buffer = direct
                    ? ByteBuffer.allocateDirect(length)
                    : ByteBuffer.allocate(length);
            buffer.put(CONTENT, offset, length).flip();
            digester.update(buffer);
        }

        assertThat(digester.digest()).isEqualTo(reference("SHA-256", Digest.SHA256, CONTENT));
        assertThat(digester.bytes()).isEqualTo(CONTENT.length);
    }

    @Test
    void update_offsetAndLength_hashesOnlyThatSlice() {
        byte[] padded = "xxabcyy".getBytes(StandardCharsets.US_ASCII);
        Digester digester = Digester.sha256();

        digester.update(padded, 2, 3);

        assertThat(digester.digest()).isEqualTo(Digest.sha256("abc"));
        assertThat(digester.bytes()).isEqualTo(3);
    }

    @Test
    void update_byteBufferWithPosition_hashesRemainingAndConsumesThem() {
        ByteBuffer buffer = ByteBuffer.wrap("xxabcyy".getBytes(StandardCharsets.US_ASCII));
        buffer.position(2).limit(5);
        Digester digester = Digester.sha256();

        digester.update(buffer);

        assertThat(digester.digest()).isEqualTo(Digest.sha256("abc"));
        assertThat(digester.bytes()).isEqualTo(3);
        assertThat(buffer.position()).isEqualTo(buffer.limit());
    }

    @Test
    void update_mixedArraysAndBuffers_equalsOneShotDigest() {
        Digester digester = Digester.sha256();

        digester.update(CONTENT, 0, 1000);
        digester.update(ByteBuffer.wrap(CONTENT, 1000, 50_000));
        digester.update(CONTENT, 51_000, 0);
        digester.update(ByteBuffer.allocate(0));
        digester.update(CONTENT, 51_000, CONTENT.length - 51_000);

        assertThat(digester.digest()).isEqualTo(Digest.sha256(CONTENT));
        assertThat(digester.bytes()).isEqualTo(CONTENT.length);
    }

    @Test
    void bytes_nothingFed_isZero() {
        Digester digester = Digester.sha256();

        long bytes = digester.bytes();

        assertThat(bytes).isZero();
    }

    @Test
    void digest_nothingFed_isDigestOfEmptyContent() {
        Digester digester = Digester.sha256();

        Digest digest = digester.digest();

        assertThat(digest).hasToString(
                "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void of_sha512_hashesWithSha512() {
        Digester digester = Digester.of(Digest.SHA512);

        for (int offset = 0; offset < CONTENT.length; offset += 1000) {
            digester.update(CONTENT, offset, Math.min(1000, CONTENT.length - offset));
        }

        assertThat(digester.algorithm()).isEqualTo(Digest.SHA512);
        assertThat(digester.digest()).isEqualTo(reference("SHA-512", Digest.SHA512, CONTENT));
    }

    @Test
    void of_sha512KnownVector_matchesPublishedDigest() {
        Digester digester = Digester.of(Digest.SHA512);

        digester.update(ByteBuffer.wrap("abc".getBytes(StandardCharsets.US_ASCII)));

        assertThat(digester.digest()).hasToString("sha512:"
                + "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
    }

    @Test
    void sha256_algorithm_isSha256() {
        Digester digester = Digester.sha256();

        String algorithm = digester.algorithm();

        assertThat(algorithm).isEqualTo(Digest.SHA256);
    }

    @ParameterizedTest
    @ValueSource(strings = {"md5", "sha1", "SHA-256", ""})
    void of_unsupportedAlgorithm_failsDigestInvalid(String algorithm) {
        RegistryException thrown = thrownBy(() -> Digester.of(algorithm));

        assertThat(thrown.code()).isEqualTo(ErrorCode.DIGEST_INVALID);
    }

    /** The digest computed straight through the JDK, independent of {@link Digester}. */
    private static Digest reference(String jca, String algorithm, byte[] content) {
        try {
            byte[] hash = MessageDigest.getInstance(jca).digest(content);
            return new Digest(algorithm, HexFormat.of().formatHex(hash));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] content(int size) {
        byte[] bytes = new byte[size];
        new Random(20_240_101L).nextBytes(bytes);
        return bytes;
    }
}
