package dev.berth.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import dev.berth.it.LayerWriter.Layer;

/**
 * Writes an OCI image layout, the directory format {@code skopeo} and {@code podman} read with
 * the {@code oci:<dir>:<tag>} transport:
 *
 * <pre>
 * dir/
 *   oci-layout          {"imageLayoutVersion":"1.0.0"}
 *   index.json          one entry per tag, named by org.opencontainers.image.ref.name
 *   blobs/sha256/<hex>  layers, configs, manifests and indexes, named by their digest
 * </pre>
 *
 * <p>Each image has one layer (see {@link LayerWriter}) and a config whose
 * {@code rootfs.diff_ids} names that layer's uncompressed digest, as real images do. Every
 * image gets fresh random file contents, so no two tests share a blob by accident.
 */
final class OciLayoutWriter {
    private static final String REF_NAME = "org.opencontainers.image.ref.name";
    private static final String CREATED = "2024-01-01T00:00:00Z";

    private final Path dir;
    private final Path blobs;
    private final List<String> tagged = new ArrayList<>();

    /** An image: its manifest, its config and its layers. */
    record Image(Descriptor manifest, Descriptor config, List<Descriptor> layers) {
    }

    /** An image index and the images it lists, in order. */
    record Index(Descriptor index, List<Image> images) {
    }

    private OciLayoutWriter(Path dir, Path blobs) {
        this.dir = dir;
        this.blobs = blobs;
    }

    /** Creates an empty layout in {@code dir}. */
    static OciLayoutWriter create(Path dir) {
        try {
            Path blobs = Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
            Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            OciLayoutWriter layout = new OciLayoutWriter(dir, blobs);
            layout.writeIndexJson();
            return layout;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create an OCI layout in " + dir, e);
        }
    }

    /** {@code oci:<dir>:<tag>}, the reference containers/image clients take. */
    String reference(String tag) {
        return "oci:" + dir.toAbsolutePath() + ":" + tag;
    }

    /** The file of blob {@code digest} ({@code sha256:<hex>}) in this layout. */
    Path blob(String digest) {
        return blobs.resolve(digest.substring("sha256:".length()));
    }

    /**
     * Writes a linux/amd64 image with one layer of files of {@code fileSizes} bytes, as
     * {@code tag}.
     */
    Image writeImage(String tag, long... fileSizes) {
        Image image = image("\"architecture\":\"amd64\",\"os\":\"linux\"", fileSizes);
        tag(tag, image.manifest());
        return image;
    }

    /**
     * Writes an index of two images, linux/amd64 and linux/arm64 (v8), each with one layer of
     * files of {@code fileSizes} bytes, as {@code tag}.
     */
    Index writeIndex(String tag, long... fileSizes) {
        List<String> platforms = List.of("\"architecture\":\"amd64\",\"os\":\"linux\"",
                "\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"");
        List<Image> images = new ArrayList<>();
        List<String> entries = new ArrayList<>();
        for (String platform : platforms) {
            Image image = image(platform, fileSizes);
            images.add(image);
            entries.add(entry(image.manifest(), "\"platform\":{" + platform + "}"));
        }

        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
                + "\",\"manifests\":[" + String.join(",", entries) + "]}";
        Descriptor index = writeBlob(MediaTypes.OCI_INDEX, json);
        tag(tag, index);
        return new Index(index, images);
    }

    private Image image(String platform, long... fileSizes) {
        Layer layer;
        try {
            layer = LayerWriter.write(blobs, ThreadLocalRandom.current().nextLong(), fileSizes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a layer in " + blobs, e);
        }

        String config = "{\"created\":\"" + CREATED + "\"," + platform + ","
                + "\"config\":{\"Env\":[\"PATH=/usr/bin:/bin\"],"
                + "\"Labels\":{\"it.nonce\":\"" + UUID.randomUUID() + "\"}},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + layer.diffId() + "\"]},"
                + "\"history\":[{\"created\":\"" + CREATED + "\",\"created_by\":\"it-tests\"}]}";
        Descriptor configBlob = writeBlob(MediaTypes.OCI_CONFIG, config);
        Descriptor manifest = writeBlob(MediaTypes.OCI_MANIFEST,
                Manifests.image(configBlob, layer.blob()));
        return new Image(manifest, configBlob, List.of(layer.blob()));
    }

    private Descriptor writeBlob(String mediaType, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        Descriptor descriptor = new Descriptor(mediaType, RegistryClient.digest(bytes),
                bytes.length);
        try {
            Files.write(blob(descriptor.digest()), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write blob " + descriptor.digest(), e);
        }
        return descriptor;
    }

    private void tag(String tag, Descriptor manifest) {
        tagged.add(entry(manifest, "\"annotations\":{\"" + REF_NAME + "\":\"" + tag + "\"}"));
        try {
            writeIndexJson();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("index.json"), e);
        }
    }

    private void writeIndexJson() throws IOException {
        String manifests = tagged.stream().collect(Collectors.joining(",", "[", "]"));
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"mediaType\":\""
                + MediaTypes.OCI_INDEX + "\",\"manifests\":" + manifests + "}");
    }

    /** A descriptor with one more field, such as its platform or annotations. */
    private static String entry(Descriptor descriptor, String field) {
        String json = descriptor.json();
        return json.substring(0, json.length() - 1) + "," + field + "}";
    }
}
