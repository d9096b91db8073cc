package dev.berth.server;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import reactor.netty.http.server.HttpServerRequest;

import dev.berth.core.ErrorCode;

/**
 * The {@code n} and {@code last} parameters of a paginated listing (tags, catalog). A listing
 * fetches one entry more than it returns; when that entry exists there is a next page, announced
 * with an RFC 8288 {@code Link} header.
 *
 * @param limit the most entries to return
 * @param last the entry after which the page starts, or {@code null}
 */
record Listing(int limit, String last) {
    /** Entries returned when the client names no {@code n}. */
    static final int DEFAULT_LIMIT = 1000;
    /** The most entries returned whatever {@code n} asks for. */
    static final int MAX_LIMIT = 10_000;

    static Listing of(HttpServerRequest request) {
        String n = Http.query(request, "n");
        String last = Http.query(request, "last");
        if (n == null) {
            return new Listing(DEFAULT_LIMIT, last);
        }
        try {
            int limit = Integer.parseInt(n.trim());
            if (limit < 0) {
                throw invalid(n);
            }
            return new Listing(Math.min(limit, MAX_LIMIT), last);
        } catch (NumberFormatException e) {
            throw invalid(n);
        }
    }

    /** The entries of this page, given up to {@code limit + 1} fetched. */
    <T> List<T> page(List<T> fetched) {
        return fetched.size() > limit ? fetched.subList(0, limit) : fetched;
    }

    /** The {@code Link} header for the page after {@code page}, or {@code null} when it is the last. */
    String next(String path, List<String> fetched) {
        return next(path, "", fetched);
    }

    /**
     * The {@code Link} header for the next page, keeping {@code extraQuery} (such as a filter,
     * {@code &name=value}, already encoded) so the next page answers the same question.
     */
    String next(String path, String extraQuery, List<String> fetched) {
        if (fetched.size() <= limit || limit == 0) {
            return null;
        }
        String last = URLEncoder.encode(fetched.get(limit - 1), StandardCharsets.UTF_8);
        return "<" + path + "?n=" + limit + "&last=" + last + extraQuery + ">; rel=\"next\"";
    }

    /**
     * A listing's JSON body, {@code {"name":"...","tags":[...]}} or {@code {"repositories":[...]}}
     * when {@code name} is {@code null}. Written directly rather than through a Jackson tree: a
     * page of 100 names is built for every request, and the tree took a large share of the time
     * of a served page.
     */
    static String json(String name, String arrayKey, List<String> entries) {
        StringBuilder json = new StringBuilder(32 + entries.size() * 24).append('{');
        if (name != null) {
            json.append("\"name\":");
            quote(json, name).append(',');
        }
        quote(json, arrayKey).append(":[");
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            quote(json, entries.get(i));
        }
        return json.append("]}").toString();
    }

    /**
     * {@code text} as a JSON string. Repository names and tags never need escaping, so they are
     * appended whole; Jackson's encoder, which appends one character at a time, took about a
     * quarter of the CPU of a catalog page. Anything else still goes through it.
     */
    private static StringBuilder quote(StringBuilder json, String text) {
        json.append('"');
        if (needsNoEscape(text)) {
            json.append(text);
        } else {
            JsonStringEncoder.getInstance().quoteAsString(text, json);
        }
        return json.append('"');
    }

    private static boolean needsNoEscape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static RuntimeException invalid(String n) {
        return ErrorCode.PAGINATION_NUMBER_INVALID.exception("n: " + n + " (expected: a non-negative integer)");
    }
}
