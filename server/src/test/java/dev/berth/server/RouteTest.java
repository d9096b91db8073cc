package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTest {

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
        "/v2/, BASE, -, -",
        "/v2, BASE, -, -",
        "/v2/_catalog, CATALOG, -, -",
        "/token, TOKEN, -, -",
        "/admin/gc, ADMIN_GC, -, -",
        "/metrics, METRICS, -, -",
        "/healthz, HEALTH, -, -",
        "/readyz, READY, -, -",
        "/v2/app/manifests/latest, MANIFEST, app, latest",
        "/v2/team/app/api/manifests/sha256:abc, MANIFEST, team/app/api, sha256:abc",
        "/v2/a/manifests/manifests/x, MANIFEST, a/manifests, x",
        "/v2/tags/list/manifests/v1, MANIFEST, tags/list, v1",
        "/v2/app/blobs/uploads/, UPLOADS, app, -",
        "/v2/app/blobs/uploads, UPLOADS, app, -",
        "/v2/a/b/blobs/uploads/, UPLOADS, a/b, -",
        "/v2/app/blobs/uploads/3f2a-11, UPLOAD, app, 3f2a-11",
        "/v2/app/blobs/sha256:abc, BLOB, app, sha256:abc",
        "/v2/blobs/blobs/sha256:abc, BLOB, blobs, sha256:abc",
        "/v2/app/tags/list, TAGS, app, -",
        "/v2/a/tags/list/tags/list, TAGS, a/tags/list, -",
        "/v2/app/referrers/sha256:abc, REFERRERS, app, sha256:abc",
    })
    void match_registryPaths_routeNameAndArgument(String path, Route route, String name, String argument) {
        assertThat(Route.match(path)).isEqualTo(new Route.Match(route, name, argument));
    }

    @ParameterizedTest
    @CsvSource({
        "/",
        "/v3/app/manifests/latest",
        "/v2//manifests/latest",
        "/v2/manifests/latest",
        "/v2/app/manifests/",
        "/v2/app/manifests",
        "/v2/app/blobs/",
        "/v2/app/tags/list/",
        "/v2/app/tags",
        "/v2/app/referrers/",
        "/v2/app/unknown/x",
        "/tokens",
    })
    void match_otherPaths_other(String path) {
        assertThat(Route.match(path).route()).isEqualTo(Route.OTHER);
    }
}
