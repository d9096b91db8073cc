package dev.berth.it;

import static dev.berth.it.Responses.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Walking the {@code Link: <...>; rel="next"} chain of the tag list and the catalog. */
final class Pagination {

    private Pagination() {
    }

    /**
     * Requests {@code first}, then every {@code rel="next"} link in turn, and returns the values
     * of array {@code field} of each page. Fails when the chain is longer than {@code maxPages},
     * so a registry that links a page to itself cannot hang the test.
     */
    static List<List<String>> follow(RegistryClient registry, String first, String field,
            int maxPages) {
        List<List<String>> pages = new ArrayList<>();
        String next = first;
        while (next != null) {
            assertThat(pages.size())
                    .as("pages before %s (expected: the chain to end)", next)
                    .isLessThan(maxPages);
            HttpResponse<byte[]> response = registry.get(next);
            assertStatus(response, 200);
            pages.add(Responses.stringArray(response, field));
            next = Responses.nextLink(response);
        }
        return pages;
    }

    /** The decoded query parameters of {@code uri}, in order. */
    static Map<String, String> query(URI uri) {
        Map<String, String> parameters = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.put(decode(key), decode(value));
        }
        return parameters;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
