package dev.berth.core;

/**
 * The error codes of the OCI Distribution Specification, each with the HTTP status Berth answers
 * it with and the message clients see. This is the only table of codes: every error a client
 * receives is one of these.
 */
public enum ErrorCode {
    BLOB_UNKNOWN(404, "blob unknown to registry"),
    BLOB_UPLOAD_INVALID(400, "blob upload invalid"),
    BLOB_UPLOAD_UNKNOWN(404, "blob upload unknown to registry"),
    DIGEST_INVALID(400, "provided digest did not match uploaded content"),
    MANIFEST_BLOB_UNKNOWN(400, "manifest references a manifest or blob unknown to registry"),
    MANIFEST_INVALID(400, "manifest invalid"),
    MANIFEST_UNKNOWN(404, "manifest unknown to registry"),
    NAME_INVALID(400, "invalid repository name"),
    NAME_UNKNOWN(404, "repository name not known to registry"),
    SIZE_INVALID(400, "provided length did not match content length"),
    UNAUTHORIZED(401, "authentication required"),
    DENIED(403, "requested access to the resource is denied"),
    UNSUPPORTED(405, "the operation is unsupported"),
    TOOMANYREQUESTS(429, "too many requests"),
    /** Not a spec code: the answer to a range that cannot be satisfied (416). */
    RANGE_INVALID(416, "requested range not satisfiable"),
    /**
     * Not a spec code: the disk holding blobs is full or failing (507). The upload keeps the bytes
     * written before the failure.
     */
    INSUFFICIENT_STORAGE(507, "insufficient storage"),
    /** Not a spec code, but the one Distribution answers a bad {@code n} of a listing with. */
    PAGINATION_NUMBER_INVALID(400, "invalid number of results requested"),
    /** Not a spec code: an unexpected failure inside Berth (500). */
    UNKNOWN(500, "unknown error");

    private final int status;
    private final String message;

    ErrorCode(int status, String message) {
        this.status = status;
        this.message = message;
    }

    /** The HTTP status this code is answered with. */
    public int status() {
        return status;
    }

    /** The human-readable message put in the error body. */
    public String message() {
        return message;
    }

    /** Creates an exception carrying this code and a detail for the client. */
    public RegistryException exception(String detail) {
        return new RegistryException(this, detail);
    }

    /** Creates an exception carrying this code, this code's status overridden by {@code status}. */
    public RegistryException exception(int status, String detail) {
        return new RegistryException(this, status, detail);
    }
}
