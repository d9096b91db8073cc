package dev.berth.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** An OCI image: a config blob, layer blobs and the image manifest naming them. */
record Image(Blob config, List<Blob> layers, Blob manifest) {
    static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String EMPTY_TYPE = "application/vnd.oci.empty.v1+json";

    /** The empty JSON object {@code {}}, the config and layer of artifact manifests. */
    static final Blob EMPTY = Blob.of("{}".getBytes(StandardCharsets.UTF_8));

    /**
     * A small image: a config that names {@code seed}, and {@code layers} random layers of
     * {@code layerSize} bytes; the same seed gives the same image.
     */
    static Image small(long seed, int layers, int layerSize) {
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\","
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},"
                + "\"config\":{\"Labels\":{\"bench.seed\":\"" + seed + "\"}}}";
        List<Blob> blobs = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            blobs.add(Blob.random(layerSize, seed * 31 + i));
        }
        return of(Blob.of(config.getBytes(StandardCharsets.UTF_8)), blobs);
    }

    /** The image of {@code config} and {@code layers}, its manifest written. */
    static Image of(Blob config, List<Blob> layers) {
        String layerList = layers.stream()
                .map(layer -> descriptor(LAYER_TYPE, layer))
                .collect(Collectors.joining(","));
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\","
                + "\"config\":" + descriptor(CONFIG_TYPE, config) + ",\"layers\":[" + layerList
                + "]}";
        return new Image(config, List.copyOf(layers),
                Blob.of(manifest.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * An artifact manifest (empty config and layer) whose {@code subject} is {@code subject},
     * made unique by {@code number}.
     */
    static Blob referrer(String subject, long number) {
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\","
                + "\"artifactType\":\"application/vnd.berth.bench.note\","
                + "\"config\":" + descriptor(EMPTY_TYPE, EMPTY) + ","
                + "\"layers\":[" + descriptor(EMPTY_TYPE, EMPTY) + "],"
                + "\"subject\":{\"mediaType\":\"" + MANIFEST_TYPE + "\",\"digest\":\"" + subject
                + "\",\"size\":1024},"
                + "\"annotations\":{\"bench.number\":\"" + number + "\"}}";
        return Blob.of(manifest.getBytes(StandardCharsets.UTF_8));
    }

    /** The config followed by the layers. */
    List<Blob> blobs() {
        List<Blob> blobs = new ArrayList<>();
        blobs.add(config);
        blobs.addAll(layers);
        return blobs;
    }

    private static String descriptor(String mediaType, Blob blob) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + blob.digest()
                + "\",\"size\":" + blob.size() + "}";
    }
}
