package dev.berth.it;

import static dev.berth.it.MediaTypes.OCI_CONFIG;
import static dev.berth.it.MediaTypes.OCI_EMPTY;
import static dev.berth.it.MediaTypes.OCI_INDEX;
import static dev.berth.it.MediaTypes.OCI_LAYER;
import static dev.berth.it.MediaTypes.OCI_MANIFEST;
import static dev.berth.it.Referrers.SIGNATURE;
import static dev.berth.it.RegistryClient.digest;
import static dev.berth.it.RegistryClient.randomBytes;
import static dev.berth.it.Responses.assertError;
import static dev.berth.it.Responses.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.berth.it.Referrers.Entry;

/**
 * {@code GET /v2/<name>/referrers/<digest>}: which manifests are listed and what each descriptor
 * says, for signatures, SBOMs and indexes; empty listings and invalid digests.
 */
final class ReferrersIT {
    private static final String SBOM = "application/spdx+json";
    private static final Map<String, String> SBOM_ANNOTATIONS = Map.of(
            "org.opencontainers.image.created", "2024-05-01T10:00:00Z",
            "org.example.sbom.format", "spdx-2.3");

    @RegisterExtension
    static final BerthExtension BERTH = new BerthExtension();

    private final RegistryClient registry = BERTH.client();

    @Test
    void listReferrers_signatureAndSbom_listsBothWithTheirDescriptors() {
        String repo = Repos.unique("referrers");
        Descriptor image = registry.pushImage(repo, "v1");
        Descriptor signature = Referrers.pushSignature(registry, repo, image);
        Descriptor sbom = pushSbom(repo, image);

        List<Entry> entries = Referrers.list(registry, repo, image.digest());

        assertThat(entries).containsExactlyInAnyOrder(
                Entry.of(signature, SIGNATURE, Map.of()),
                Entry.of(sbom, SBOM, SBOM_ANNOTATIONS));
    }

    @Test
    void listReferrers_manifestWithoutArtifactType_reportsConfigMediaType() {
        String repo = Repos.unique("referrers-config-type");
        Descriptor image = registry.pushImage(repo, "v1");
        String configType = "application/vnd.example.attestation.config.v1+json";
        String configJson = "{\"nonce\":\"" + UUID.randomUUID() + "\"}";
        Descriptor config = registry.pushBlob(repo, configType, configJson);
        String json = Manifests.artifactWithSubject(null, config, image, Map.of());
        Descriptor attestation = Referrers.push(registry, repo, OCI_MANIFEST, json, image.digest());

        List<Entry> entries = Referrers.list(registry, repo, image.digest());

        assertThat(entries).containsExactly(Entry.of(attestation, configType, Map.of()));
    }

    @Test
    void listReferrers_manifestWithEmptyArtifactType_reportsConfigMediaType() {
        String repo = Repos.unique("referrers-empty-type");
        Descriptor image = registry.pushImage(repo, "v1");
        String configType = "application/vnd.example.provenance.config.v1+json";
        String configJson = "{\"nonce\":\"" + UUID.randomUUID() + "\"}";
        Descriptor config = registry.pushBlob(repo, configType, configJson);
        String json = Manifests.artifactWithSubject("", config, image, Map.of());
        Descriptor provenance = Referrers.push(registry, repo, OCI_MANIFEST, json, image.digest());

        List<Entry> entries = Referrers.list(registry, repo, image.digest());

        // The spec treats an empty artifactType like a missing one.
        assertThat(entries).containsExactly(Entry.of(provenance, configType, Map.of()));
    }

    @Test
    void listReferrers_indexWithSubjectAndArtifactType_listsIndex() {
        String repo = Repos.unique("referrers-index");
        Descriptor image = registry.pushImage(repo, "v1");
        Descriptor child = Referrers.pushSignature(registry, repo, image);
        Map<String, String> annotations = Map.of("org.example.bundle", "attestations");
        String json = Manifests.indexWithSubject("application/vnd.example.bundle.v1", image,
                annotations, child);
        Descriptor bundle = Referrers.push(registry, repo, OCI_INDEX, json, image.digest());

        List<Entry> entries = Referrers.list(registry, repo, image.digest());

        assertThat(entries).containsExactlyInAnyOrder(
                Entry.of(child, SIGNATURE, Map.of()),
                Entry.of(bundle, "application/vnd.example.bundle.v1", annotations));
    }

    @Test
    void listReferrers_indexWithoutArtifactType_omitsArtifactType() {
        String repo = Repos.unique("referrers-index-untyped");
        Descriptor image = registry.pushImage(repo, "v1");
        Descriptor child = registry.pushImage(repo, "child");
        String json = Manifests.indexWithSubject(null, image, Map.of(), child);
        Descriptor index = Referrers.push(registry, repo, OCI_INDEX, json, image.digest());

        List<Entry> entries = Referrers.list(registry, repo, image.digest());

        // An index has no config to fall back on, so the spec wants the field left out.
        assertThat(entries).containsExactly(Entry.of(index, null, Map.of()));
    }

    @Test
    void listReferrers_indexWithEmptyArtifactType_omitsArtifactType() {
        String repo = Repos.unique("referrers-index-empty-type");
        Descriptor image = registry.pushImage(repo, "v1");
        Descriptor child = registry.pushImage(repo, "child");
        String json = Manifests.indexWithSubject("", image, Map.of(), child);
        Descriptor index = Referrers.push(registry, repo, OCI_INDEX, json, image.digest());

        List<Entry> entries = Referrers.list(registry, repo, image.digest());

        assertThat(entries).containsExactly(Entry.of(index, null, Map.of()));
    }

    @Test
    void listReferrers_referrersInOtherRepository_listsNone() {
        String signed = Repos.unique("referrers-signed");
        String other = Repos.unique("referrers-other");
        Descriptor image = pushSameImage(signed, other);
        Descriptor signature = Referrers.pushSignature(registry, signed, image);

        List<Entry> inOther = Referrers.list(registry, other, image.digest());
        List<Entry> inSigned = Referrers.list(registry, signed, image.digest());

        assertThat(inOther).isEmpty();
        assertThat(inSigned).containsExactly(Entry.of(signature, SIGNATURE, Map.of()));
    }

    @Test
    void listReferrers_imageWithoutReferrers_returnsEmptyIndex() {
        String repo = Repos.unique("referrers-none");
        Descriptor image = registry.pushImage(repo, "v1");
        Descriptor other = registry.pushImage(repo, "v2");
        Referrers.pushSignature(registry, repo, other);

        List<Entry> entries = Referrers.list(registry, repo, image.digest());

        assertThat(entries).isEmpty();
    }

    @Test
    void listReferrers_subjectNeverPushed_returnsEmptyIndex() {
        String repo = Repos.unique("referrers-unknown-subject");
        Descriptor image = registry.pushImage(repo, "v1");
        Referrers.pushSignature(registry, repo, image);

        HttpResponse<byte[]> response = registry.get(Referrers.path(repo, digest(randomBytes(32))));

        assertThat(Referrers.entries(response)).isEmpty();
        assertThat(Responses.nextLink(response)).isNull();
    }

    @Test
    void listReferrers_repositoryWithoutManifests_returnsEmptyIndex() {
        String repo = Repos.unique("referrers-empty-repo");
        String blob = registry.pushBlob(repo, randomBytes(64));

        HttpResponse<byte[]> response = registry.get(Referrers.path(repo, blob));

        assertThat(Referrers.entries(response)).isEmpty();
    }

    @Test
    void listReferrers_malformedDigest_failsDigestInvalid() {
        String repo = Repos.unique("referrers-bad-digest");
        registry.pushImage(repo, "v1");

        HttpResponse<byte[]> response = registry.get(Referrers.path(repo, "not-a-digest"));

        assertError(response, 400, "DIGEST_INVALID");
    }

    @Test
    void listReferrers_truncatedSha256Hex_failsDigestInvalid() {
        String repo = Repos.unique("referrers-short-digest");
        Descriptor image = registry.pushImage(repo, "v1");
        String truncated = image.digest().substring(0, image.digest().length() - 1);

        HttpResponse<byte[]> response = registry.get(Referrers.path(repo, truncated));

        assertError(response, 400, "DIGEST_INVALID");
    }

    /** An SBOM-like artifact with annotations, as SBOM tools attach them. */
    private Descriptor pushSbom(String repo, Descriptor subject) {
        Descriptor empty = registry.pushBlob(repo, OCI_EMPTY, "{}");
        Descriptor document = registry.pushBlob(repo, SBOM,
                "{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"" + UUID.randomUUID() + "\"}");
        String json = Manifests.artifactWithSubject(SBOM, empty, subject, SBOM_ANNOTATIONS,
                document);
        return Referrers.push(registry, repo, OCI_MANIFEST, json, subject.digest());
    }

    /** Pushes one image, byte for byte the same, to each of {@code repos}; returns it. */
    private Descriptor pushSameImage(String... repos) {
        String config = Manifests.config();
        String layer = "layer " + UUID.randomUUID();
        Descriptor image = null;
        for (String repo : repos) {
            Descriptor configBlob = registry.pushBlob(repo, OCI_CONFIG, config);
            Descriptor layerBlob = registry.pushBlob(repo, OCI_LAYER, layer);
            byte[] body = Manifests.image(configBlob, layerBlob).getBytes(StandardCharsets.UTF_8);
            assertStatus(registry.putManifest(repo, "v1", OCI_MANIFEST, body), 201);
            image = new Descriptor(OCI_MANIFEST, digest(body), body.length);
        }
        return image;
    }
}
