package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import reactor.netty.channel.AbortedException;

import dev.berth.core.ErrorCode;

class ErrorWriterTest {

    @Test
    void isClientGone_resetOrAborted_true() {
        assertThat(ErrorWriter.isClientGone(new IOException("sendfile(..) failed: Connection reset by peer")))
                .isTrue();
        assertThat(ErrorWriter.isClientGone(new IOException("writev(..) failed: Broken pipe"))).isTrue();
        assertThat(ErrorWriter.isClientGone(new AbortedException("Connection has been closed"))).isTrue();
    }

    @Test
    void isClientGone_otherFailures_false() {
        assertThat(ErrorWriter.isClientGone(new IOException("No space left on device"))).isFalse();
        assertThat(ErrorWriter.isClientGone(new IllegalStateException("bug"))).isFalse();
    }

    @Test
    void body_registryException_specShape() {
        String body = new String(ErrorWriter.body(ErrorCode.BLOB_UNKNOWN.exception("blob x")), StandardCharsets.UTF_8);

        assertThat(body).isEqualTo("{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"blob unknown to registry\","
                + "\"detail\":\"blob x\"}]}");
    }
}
