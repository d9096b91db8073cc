package dev.berth.core;

/**
 * A failure the client is told about: an {@link ErrorCode}, the HTTP status to answer with
 * (usually the code's own) and a detail string. Thrown or emitted anywhere below the server; the
 * server turns it into the spec's JSON error body.
 *
 * <p>These are expected outcomes (a missing blob, a bad name), so no stack trace is filled in.
 */
public final class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final int status;
    private final String detail;

    public RegistryException(ErrorCode code, String detail) {
        this(code, code.status(), detail);
    }

    public RegistryException(ErrorCode code, int status, String detail) {
        super(code + ": " + detail, null, false, false);
        this.code = code;
        this.status = status;
        this.detail = detail;
    }

    public ErrorCode code() {
        return code;
    }

    public int status() {
        return status;
    }

    public String detail() {
        return detail;
    }
}
