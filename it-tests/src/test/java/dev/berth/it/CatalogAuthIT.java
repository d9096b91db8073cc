package dev.berth.it;

import static dev.berth.it.AccessRulesIT.ALICE;
import static dev.berth.it.AccessRulesIT.BOB;
import static dev.berth.it.AccessRulesIT.CAROL;
import static dev.berth.it.AccessRulesIT.PASSWORD;
import static dev.berth.it.Responses.assertStatus;
import static dev.berth.it.Responses.nextLink;
import static dev.berth.it.Responses.stringArray;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /v2/_catalog} with access rules: each caller sees exactly the repositories it may
 * pull, whether it logs in with Basic or presents a token, and pages stay full around the
 * repositories it may not see. The rules are those of {@link AccessRulesIT}, plus a push right
 * for Alice under {@code shared/}, on a server of its own so the repositories are known.
 */
final class CatalogAuthIT {
    private static final List<String> ALICE_SEES = List.of("library/base", "shared/tools",
            "team-a/app", "team-a/db");
    private static final List<String> BOB_SEES = List.of("library/base", "shared/tools",
            "team-b/app");

    @RegisterExtension
    static final BerthExtension BERTH = BerthExtension.withServerArgs(dir -> List.of("--config",
            AccessRulesIT.config()
                    .rule(List.of(ALICE), List.of("shared/**"), List.of("push"))
                    .write(dir.resolve("berth.yaml")).toString()));

    @BeforeAll
    static void pushRepositories() {
        for (String repo : List.of("team-a/app", "team-a/db", "library/base", "shared/tools")) {
            as(ALICE).pushImage(repo, "v1");
        }
        as(BOB).pushImage("team-b/app", "v1");
    }

    @Test
    void catalog_groupMember_listsOwnPublicAndSharedRepositories() {
        List<String> listed = catalog(as(ALICE));

        assertThat(listed).containsExactlyElementsOf(ALICE_SEES);
    }

    @Test
    void catalog_otherGroupMember_listsOnlyWhatItMayPull() {
        List<String> listed = catalog(as(BOB));

        assertThat(listed).containsExactlyElementsOf(BOB_SEES);
    }

    @Test
    void catalog_userInNoGroup_listsPublicAndShared() {
        List<String> listed = catalog(as(CAROL));

        assertThat(listed).containsExactly("library/base", "shared/tools");
    }

    @Test
    void catalog_bearerTokenWithCatalogScope_listsWhatItsSubjectMayPull() {
        String token = new TokenEndpoint(BERTH.client())
                .accessToken(BOB, PASSWORD, "registry:catalog:*");

        List<String> listed = catalog(BERTH.anonymousClient().withBearer(token));

        assertThat(listed).containsExactlyElementsOf(BOB_SEES);
    }

    @Test
    void catalog_pagesWithHiddenRepositories_stayFullAndLinkPastLastShown() {
        // Bob may not see team-a/app and team-a/db, which sort between his second and third.
        HttpResponse<byte[]> first = as(BOB).get("/v2/_catalog?n=2");

        assertStatus(first, 200);
        assertThat(stringArray(first, "repositories")).containsExactly("library/base",
                "shared/tools");
        URI next = URI.create(nextLink(first));
        assertThat(Pagination.query(next))
                .containsExactlyInAnyOrderEntriesOf(Map.of("n", "2", "last", "shared/tools"));
        List<List<String>> pages = Pagination.follow(as(BOB), "/v2/_catalog?n=2",
                "repositories", 4);
        assertThat(pages).containsExactly(BOB_SEES.subList(0, 2), BOB_SEES.subList(2, 3));
    }

    private static List<String> catalog(RegistryClient registry) {
        HttpResponse<byte[]> response = registry.get("/v2/_catalog");

        assertStatus(response, 200);
        return stringArray(response, "repositories");
    }

    private static RegistryClient as(String user) {
        return BERTH.anonymousClient().withBasicAuth(user, PASSWORD);
    }
}
