package dev.berth.it;

import static dev.berth.it.Responses.assertError;
import static dev.berth.it.Responses.describe;
import static dev.berth.it.Responses.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code WWW-Authenticate: Bearer realm="..",service="..",scope="..",error=".."} challenge,
 * and the checks of a 401 that carries one.
 *
 * @param scheme the scheme, {@code Bearer}
 * @param parameters the parameters, in the order sent
 */
record Challenge(String scheme, Map<String, String> parameters) {
    private static final Pattern PARAMETER = Pattern.compile("\\s*([a-z_]+)=\"([^\"]*)\"\\s*(,|$)");

    /** Parses a challenge; fails the test when {@code header} does not have the Bearer form. */
    static Challenge parse(String header) {
        assertThat(header).as("WWW-Authenticate").isNotNull();
        int space = header.indexOf(' ');
        assertThat(space).as("scheme of %s", header).isPositive();
        Map<String, String> parameters = new LinkedHashMap<>();
        Matcher matcher = PARAMETER.matcher(header.substring(space + 1));
        int end = 0;
        while (matcher.lookingAt()) {
            parameters.put(matcher.group(1), matcher.group(2));
            end = matcher.end();
            matcher.region(end, matcher.regionEnd());
        }
        assertThat(end)
                .as("parameters of %s (expected: name=\"value\" pairs)", header)
                .isEqualTo(header.length() - space - 1);
        return new Challenge(header.substring(0, space), parameters);
    }

    /** {@code Bearer realm="http://127.0.0.1:<port>/token",service="berth"} for {@code berth}. */
    static String base(BerthProcess berth) {
        return "Bearer realm=\"" + berth.baseUri().resolve("/token") + "\",service=\""
                + TokenEndpoint.SERVICE + "\"";
    }

    /**
     * Checks that {@code response} is {@code 401 UNAUTHORIZED} whose challenge is exactly
     * {@code base(berth)} followed by {@code ,scope="<scope>"} (when {@code scope} is not null)
     * and {@code ,error="<error>"} (when {@code error} is not null).
     */
    static void assertChallenge(HttpResponse<byte[]> response, BerthProcess berth, String scope,
            String error) {
        String expected = base(berth)
                + (scope == null ? "" : ",scope=\"" + scope + "\"")
                + (error == null ? "" : ",error=\"" + error + "\"");
        if ("HEAD".equals(response.request().method())) {
            Responses.assertStatus(response, 401);
        } else {
            assertError(response, 401, "UNAUTHORIZED");
        }
        assertThat(header(response, "WWW-Authenticate"))
                .as(() -> "challenge of " + describe(response))
                .isEqualTo(expected);
    }

    /** The value of parameter {@code name}, or null. */
    String parameter(String name) {
        return parameters.get(name);
    }
}
