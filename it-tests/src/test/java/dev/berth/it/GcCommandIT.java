package dev.berth.it;

import static dev.berth.it.Api.blob;
import static dev.berth.it.Api.manifest;
import static dev.berth.it.DataDirectoryChecks.blobFile;
import static dev.berth.it.GcRuns.list;
import static dev.berth.it.Responses.assertError;
import static dev.berth.it.Responses.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.berth.it.BerthCli.Result;

/**
 * {@code berth gc} on a data directory: refused while a server holds it, a report on stdout and
 * the garbage gone once it is free; and a second server refused on a directory a first one
 * holds.
 */
final class GcCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private Path data;
    private Path config;

    @BeforeEach
    void writeConfig() {
        data = temp.resolve("data");
        config = GcConfig.immediate().write(temp.resolve("berth.yaml"));
    }

    @Test
    void gc_whileServerRuns_exitsOneNamingAdminEndpoint() {
        try (BerthProcess berth = start()) {
            Result dryRun = BerthCli.gc(data, config, "--dry-run");
            Result run = BerthCli.gc(data, config);

            for (Result result : List.of(dryRun, run)) {
                assertThat(result.exitCode()).as(result::describe).isEqualTo(1);
                assertThat(result.stderr()).as(result::describe).contains("/admin/gc");
                assertThat(result.stdout()).as(result::describe).isBlank();
            }
            assertStatus(new RegistryClient(berth.baseUri()).get("/v2/"), 200);
        }
    }

    @Test
    void gc_afterServerStopped_dryRunReportsThenRunCollects() {
        SharedLayerImages images;
        try (BerthProcess berth = start()) {
            images = SharedLayerImages.push(new RegistryClient(berth.baseUri()), "gc/cli", "v1");
        }
        String untagged = images.repo() + "@" + images.untagged().digest();

        JsonNode dryRun = report(BerthCli.gc(data, config, "--dry-run"));

        assertThat(dryRun.path("dryRun").asBoolean()).isTrue();
        assertThat(list(dryRun, "manifests")).containsExactly(untagged);
        assertThat(list(dryRun, "blobs")).containsExactlyInAnyOrderElementsOf(
                images.untaggedOwnDigests());
        assertThat(dryRun.path("bytesFreed").asLong()).isEqualTo(images.untaggedOwnBytes());
        images.untaggedOwnDigests().forEach(digest -> assertThat(blobFile(data, digest)).exists());

        JsonNode run = report(BerthCli.gc(data, config));

        assertThat(run.path("dryRun").asBoolean()).isFalse();
        assertThat(list(run, "manifests")).containsExactly(untagged);
        assertThat(list(run, "blobs")).containsExactlyInAnyOrderElementsOf(
                images.untaggedOwnDigests());
        images.untaggedOwnDigests().forEach(digest ->
                assertThat(blobFile(data, digest)).doesNotExist());
        assertThat(blobFile(data, images.base().digest())).exists();
        try (BerthProcess berth = start()) {
            RegistryClient registry = new RegistryClient(berth.baseUri());
            assertError(registry.get(manifest(images.repo(), images.untagged().digest())), 404,
                    "MANIFEST_UNKNOWN");
            assertStatus(registry.get(manifest(images.repo(), images.tag())), 200);
            assertStatus(registry.get(blob(images.repo(), images.base().digest())), 200);
        }
    }

    @Test
    void start_secondServerOnSameDataDirectory_failsNamingTheLock() {
        try (BerthProcess first = start()) {
            Throwable second = catchThrowable(() -> start().close());

            assertThat(second)
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("another Berth server is using")
                    .hasMessageContaining("berth.lock");
            assertStatus(new RegistryClient(first.baseUri()).get("/v2/"), 200);
        }
    }

    private BerthProcess start() {
        return BerthProcess.startWith(data, List.of(), List.of("--config", config.toString()));
    }

    /** The JSON report a successful {@code berth gc} printed on stdout. */
    private static JsonNode report(Result result) {
        assertThat(result.exitCode()).as(result::describe).isZero();
        try {
            return JSON.readTree(result.stdout());
        } catch (JsonProcessingException e) {
            throw new AssertionError("stdout is not JSON; " + result.describe(), e);
        }
    }
}
