package dev.berth.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ErrorCodeTest {

    @ParameterizedTest
    @CsvSource({
        "BLOB_UNKNOWN, 404",
        "BLOB_UPLOAD_INVALID, 400",
        "BLOB_UPLOAD_UNKNOWN, 404",
        "DIGEST_INVALID, 400",
        "MANIFEST_BLOB_UNKNOWN, 400",
        "MANIFEST_INVALID, 400",
        "MANIFEST_UNKNOWN, 404",
        "NAME_INVALID, 400",
        "NAME_UNKNOWN, 404",
        "SIZE_INVALID, 400",
        "UNAUTHORIZED, 401",
        "DENIED, 403",
        "UNSUPPORTED, 405",
        "TOOMANYREQUESTS, 429",
        "RANGE_INVALID, 416",
        "INSUFFICIENT_STORAGE, 507",
        "PAGINATION_NUMBER_INVALID, 400",
        "UNKNOWN, 500"
    })
    void status_eachCode_matchesSpecTable(ErrorCode code, int expected) {
        int status = code.status();

        assertThat(status).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void message_eachCode_notBlank(ErrorCode code) {
        String message = code.message();

        assertThat(message).isNotBlank();
    }

    @Test
    void exception_detail_carriesCodeStatusAndDetail() {
        String detail = "digest: sha256:abc (expected: 64 hex characters)";

        RegistryException exception = ErrorCode.DIGEST_INVALID.exception(detail);

        assertThat(exception.code()).isEqualTo(ErrorCode.DIGEST_INVALID);
        assertThat(exception.status()).isEqualTo(400);
        assertThat(exception.detail()).isEqualTo(detail);
        assertThat(exception).hasMessageContainingAll("DIGEST_INVALID", detail);
    }

    @Test
    void exception_statusOverride_keepsCodeChangesStatus() {
        RegistryException exception = ErrorCode.BLOB_UNKNOWN.exception(416, "offset past end");

        assertThat(exception.code()).isEqualTo(ErrorCode.BLOB_UNKNOWN);
        assertThat(exception.status()).isEqualTo(416);
        assertThat(exception.detail()).isEqualTo("offset past end");
    }

    @Test
    void exception_expectedOutcome_hasNoStackTraceOrCause() {
        RegistryException exception = ErrorCode.NAME_UNKNOWN.exception("repository: a/b");

        assertThat(exception.getStackTrace()).isEmpty();
        assertThat(exception).hasNoCause();
    }
}
