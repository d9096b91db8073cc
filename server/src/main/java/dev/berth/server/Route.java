package dev.berth.server;

/**
 * The endpoints Berth serves, and how a request path maps to one. A repository name may itself
 * contain slashes ({@code team/app/api}), so repository paths are read from their end: whatever
 * precedes {@code /manifests/<reference>}, {@code /blobs/uploads/<id>}, {@code /blobs/<digest>},
 * {@code /tags/list} or {@code /referrers/<digest>} is the name.
 *
 * <p>Each route's {@link #tag} names it in metrics, so the number of series stays bounded
 * however many repositories exist. Matching is plain string work rather than regular
 * expressions, because it runs on every request.
 */
enum Route {
    TOKEN("/token"),
    ADMIN_GC("/admin/gc"),
    METRICS("/metrics"),
    HEALTH("/healthz"),
    READY("/readyz"),
    BASE("/v2/"),
    CATALOG("/v2/_catalog"),
    MANIFEST("/v2/{name}/manifests/{reference}"),
    UPLOADS("/v2/{name}/blobs/uploads/"),
    UPLOAD("/v2/{name}/blobs/uploads/{id}"),
    BLOB("/v2/{name}/blobs/{digest}"),
    TAGS("/v2/{name}/tags/list"),
    REFERRERS("/v2/{name}/referrers/{digest}"),
    OTHER("other"),
    /** A path whose percent-escapes cannot be decoded; {@link #match} never returns it. */
    INVALID("invalid");

    private static final String V2 = "/v2/";

    private final String tag;

    Route(String tag) {
        this.tag = tag;
    }

    /** The route's name in metrics, such as {@code /v2/{name}/manifests/{reference}}. */
    String tag() {
        return tag;
    }

    /**
     * A request path matched to its route.
     *
     * @param route the endpoint
     * @param name the repository name as written in the path, or {@code null} for routes without one
     * @param argument the last path segment (reference, digest or upload id), or {@code null}
     */
    record Match(Route route, String name, String argument) {
    }

    /** The route of {@code path} (the request URI without its query). */
    static Match match(String path) {
        switch (path) {
            case "/token":
                return new Match(TOKEN, null, null);
            case "/admin/gc":
                return new Match(ADMIN_GC, null, null);
            case "/metrics":
                return new Match(METRICS, null, null);
            case "/healthz":
                return new Match(HEALTH, null, null);
            case "/readyz":
                return new Match(READY, null, null);
            case "/v2", "/v2/":
                return new Match(BASE, null, null);
            case "/v2/_catalog":
                return new Match(CATALOG, null, null);
            default:
                break;
        }
        if (!path.startsWith(V2)) {
            return new Match(OTHER, null, null);
        }
        Match match = withArgument(path, "/manifests", MANIFEST);
        if (match == null) {
            match = uploads(path);
        }
        if (match == null) {
            match = withArgument(path, "/blobs/uploads", UPLOAD);
        }
        if (match == null) {
            match = withArgument(path, "/blobs", BLOB);
        }
        if (match == null) {
            String name = nameBefore(path, "/tags/list", path.length());
            match = name == null ? null : new Match(TAGS, name, null);
        }
        if (match == null) {
            match = withArgument(path, "/referrers", REFERRERS);
        }
        return match == null ? new Match(OTHER, null, null) : match;
    }

    /** {@code /v2/<name><marker>/<argument>}, the argument being one non-empty segment. */
    private static Match withArgument(String path, String marker, Route route) {
        int slash = path.lastIndexOf('/');
        if (slash == path.length() - 1) {
            return null;
        }
        String name = nameBefore(path, marker, slash);
        return name == null ? null : new Match(route, name, path.substring(slash + 1));
    }

    /** {@code /v2/<name>/blobs/uploads}, with or without a final slash. */
    private static Match uploads(String path) {
        int end = path.endsWith("/") ? path.length() - 1 : path.length();
        String name = nameBefore(path, "/blobs/uploads", end);
        return name == null ? null : new Match(UPLOADS, name, null);
    }

    /**
     * The name between {@code /v2/} and {@code marker} when the path's first {@code end}
     * characters end with {@code marker}; {@code null} when they do not or the name is empty.
     */
    private static String nameBefore(String path, String marker, int end) {
        int start = end - marker.length();
        if (start <= V2.length() || !path.startsWith(marker, start)) {
            return null;
        }
        return path.substring(V2.length(), start);
    }
}
