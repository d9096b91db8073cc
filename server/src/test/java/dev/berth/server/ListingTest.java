package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ListingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void json_tagPage_nameAndTagsInOrder() throws Exception {
        String body = Listing.json("team/app", "tags", List.of("v1", "v1.1", "latest"));

        assertThat(body).isEqualTo("{\"name\":\"team/app\",\"tags\":[\"v1\",\"v1.1\",\"latest\"]}");
        assertThat(JSON.readTree(body).get("tags")).hasSize(3);
    }

    @Test
    void json_catalogPage_repositoriesOnly() {
        assertThat(Listing.json(null, "repositories", List.of("a", "b/c")))
                .isEqualTo("{\"repositories\":[\"a\",\"b/c\"]}");
    }

    @Test
    void json_emptyPage_emptyArray() {
        assertThat(Listing.json("app", "tags", List.of())).isEqualTo("{\"name\":\"app\",\"tags\":[]}");
    }

    @Test
    void json_charactersThatNeedEscaping_parseBackToTheSameNames() throws Exception {
        List<String> names = List.of("quote\"d", "back\\slash", "new\nline", "tab\t", "unicode é ✓", "\u0001");

        JsonNode parsed = JSON.readTree(Listing.json("na\"me", "tags", names));

        assertThat(parsed.get("name").asText()).isEqualTo("na\"me");
        assertThat(parsed.get("tags")).extracting(JsonNode::asText).containsExactlyElementsOf(names);
    }

    @Test
    void json_everyPrintableAsciiCharacter_parsesBackToTheSameName() throws Exception {
        StringBuilder all = new StringBuilder();
        for (char c = 0x20; c <= 0x7f; c++) {
            all.append(c);
        }
        List<String> names = List.of(all.toString(), "team/app-1.2_3", "end\\", "\"start");

        JsonNode parsed = JSON.readTree(Listing.json(null, "repositories", names));

        assertThat(parsed.get("repositories")).extracting(JsonNode::asText).containsExactlyElementsOf(names);
    }
}
