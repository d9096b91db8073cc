package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reading and checking registry responses. */
final class Responses {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final int BODY_PREVIEW = 500;

    private Responses() {
    }

    /** The first value of header {@code name}, or null. */
    static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /**
     * Checks the status, naming the request, the headers and the start of the body if it differs,
     * and the {@code Docker-Distribution-API-Version} header every registry response carries.
     */
    static void assertStatus(HttpResponse<byte[]> response, int status) {
        assertThat(response.statusCode())
                .as(() -> describe(response))
                .isEqualTo(status);
        assertThat(header(response, "Docker-Distribution-API-Version"))
                .as(() -> "API version header in " + describe(response))
                .isEqualTo("registry/2.0");
    }

    /** Checks the status and that the body is a spec error body, whatever its code. */
    static void assertJsonError(HttpResponse<byte[]> response, int status) {
        String code = json(response).path("errors").path(0).path("code").asText("(none)");
        assertError(response, status, code);
    }

    /**
     * Checks an error response: the status, the API version header and a JSON body of the form
     * {@code {"errors":[{"code":..,"message":..}]}} whose first error has {@code code}.
     */
    static void assertError(HttpResponse<byte[]> response, int status, String code) {
        assertStatus(response, status);
        JsonNode errors = json(response).path("errors");
        assertThat(errors.isArray() && errors.size() > 0)
                .as("errors array in " + describe(response))
                .isTrue();
        assertThat(errors.get(0).path("code").asText())
                .as(() -> describe(response))
                .isEqualTo(code);
        assertThat(errors.get(0).path("message").isTextual())
                .as("message in " + describe(response))
                .isTrue();
    }

    /** The body parsed as JSON; fails the test, showing the body, when it is not JSON. */
    static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + describe(response), e);
        }
    }

    /** The strings of JSON array {@code field} of the body, in order. */
    static List<String> stringArray(HttpResponse<byte[]> response, String field) {
        JsonNode array = json(response).path(field);
        assertThat(array.isArray())
                .as(() -> field + " array in " + describe(response))
                .isTrue();
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    /** The target of the {@code Link: <...>; rel="next"} header, or null when there is none. */
    static String nextLink(HttpResponse<byte[]> response) {
        String link = header(response, "Link");
        if (link == null) {
            return null;
        }
        Matcher matcher = NEXT_LINK.matcher(link);
        assertThat(matcher.find())
                .as(() -> "Link header of the form <url>; rel=\"next\" in " + describe(response))
                .isTrue();
        return matcher.group(1);
    }

    /** The body as UTF-8 text. */
    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    /** One line naming the request and the response, for assertion messages. */
    static String describe(HttpResponse<byte[]> response) {
        String body = response.body() == null ? "" : text(response);
        if (body.length() > BODY_PREVIEW) {
            body = body.substring(0, BODY_PREVIEW) + "...";
        }
        return response.request().method() + " " + response.request().uri() + " -> "
                + response.statusCode() + " " + response.headers().map() + " " + body;
    }
}
