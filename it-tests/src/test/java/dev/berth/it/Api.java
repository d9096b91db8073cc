package dev.berth.it;

/** The paths of the registry API, relative to the server's base URI. */
final class Api {

    private Api() {
    }

    /** {@code /v2/<repo>/blobs/<digest>}. */
    static String blob(String repo, String digest) {
        return "/v2/" + repo + "/blobs/" + digest;
    }

    /** {@code /v2/<repo>/blobs/uploads/}, where upload sessions are opened. */
    static String uploads(String repo) {
        return "/v2/" + repo + "/blobs/uploads/";
    }

    /** {@code /v2/<repo>/manifests/<reference>}. */
    static String manifest(String repo, String reference) {
        return "/v2/" + repo + "/manifests/" + reference;
    }

    /** {@code /v2/<repo>/tags/list}. */
    static String tags(String repo) {
        return "/v2/" + repo + "/tags/list";
    }
}
