package dev.berth.core;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads manifest bytes into a {@link Manifest}, checking what the OCI image specification and
 * Docker schema 2 require of each format. Every failure is a {@link RegistryException} with
 * {@link ErrorCode#MANIFEST_INVALID} and a detail naming the offending field.
 */
public final class ManifestParser {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ManifestParser() {
    }

    /**
     * Parses a manifest.
     *
     * @param bytes the manifest exactly as pushed
     * @param contentType the request's {@code Content-Type}, or {@code null}
     */
    public static Manifest parse(byte[] bytes, String contentType) {
        if (bytes == null || bytes.length == 0) {
            throw invalid("manifest: empty body");
        }
        JsonNode root = readTree(bytes);
        String mediaType = mediaType(root, MediaType.essence(contentType));
        if (MediaType.isIndex(mediaType)) {
            requireSchemaVersion(root);
            return new Manifest(mediaType, null, List.of(), descriptors(root, "manifests", true),
                    subject(root), optionalText(root, "artifactType"), stringMap(root, "annotations"));
        }
        requireSchemaVersion(root);
        Descriptor config = descriptor(field(root, "config"), "config");
        // Docker schema 2 always lists layers; OCI artifacts may leave them out.
        List<Descriptor> layers = descriptors(root, "layers", MediaType.DOCKER_MANIFEST.equals(mediaType));
        return new Manifest(mediaType, config, layers, List.of(), subject(root),
                optionalText(root, "artifactType"), stringMap(root, "annotations"));
    }

    private static JsonNode readTree(byte[] bytes) {
        try {
            JsonNode root = JSON.readTree(bytes);
            if (root == null || !root.isObject()) {
                throw invalid("manifest: not a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw invalid("manifest: not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw invalid("manifest: unreadable (" + e.getMessage() + ")");
        }
    }

    private static String mediaType(JsonNode root, String contentType) {
        String declared = optionalText(root, "mediaType");
        if (declared != null && contentType != null && MediaType.isManifest(contentType)
                && !declared.equals(contentType)) {
            throw invalid("mediaType: " + declared + " (expected: the Content-Type " + contentType + ")");
        }
        String type = declared != null ? declared : contentType;
        if (type == null || !MediaType.isManifest(type)) {
            type = guess(root, type);
        }
        if (MediaType.DOCKER_SCHEMA1.equals(type) || MediaType.DOCKER_SCHEMA1_SIGNED.equals(type)) {
            throw ErrorCode.MANIFEST_INVALID.exception("Docker schema 1 manifests are not supported;"
                    + " push schema 2 or OCI");
        }
        if (!MediaType.isManifest(type)) {
            throw invalid("mediaType: " + type + " (expected: an OCI or Docker schema 2 manifest or index)");
        }
        return type;
    }

    /** OCI allows {@code mediaType} to be left out; the shape of the document then decides. */
    private static String guess(JsonNode root, String type) {
        if (type != null && !MediaType.JSON.equals(type) && !MediaType.OCTET_STREAM.equals(type)) {
            return type;
        }
        if (root.has("manifests")) {
            return MediaType.OCI_INDEX;
        }
        if (root.has("config")) {
            return MediaType.OCI_MANIFEST;
        }
        return type;
    }

    private static void requireSchemaVersion(JsonNode root) {
        JsonNode version = root.get("schemaVersion");
        if (version == null || !version.isInt() || version.intValue() != 2) {
            throw invalid("schemaVersion: " + version + " (expected: 2)");
        }
    }

    private static Descriptor subject(JsonNode root) {
        JsonNode subject = root.get("subject");
        return subject == null || subject.isNull() ? null : descriptor(subject, "subject");
    }

    private static List<Descriptor> descriptors(JsonNode root, String name, boolean required) {
        JsonNode array = root.get(name);
        if (array == null || array.isNull()) {
            if (required) {
                throw invalid(name + ": missing (expected: an array of descriptors)");
            }
            return List.of();
        }
        if (!array.isArray()) {
            throw invalid(name + ": " + array.getNodeType() + " (expected: an array of descriptors)");
        }
        List<Descriptor> descriptors = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            descriptors.add(descriptor(array.get(i), name + "[" + i + "]"));
        }
        return descriptors;
    }

    private static Descriptor descriptor(JsonNode node, String path) {
        if (!node.isObject()) {
            throw invalid(path + ": " + node.getNodeType() + " (expected: a descriptor object)");
        }
        String mediaType = optionalText(node, "mediaType");
        if (mediaType == null) {
            throw invalid(path + ".mediaType: missing");
        }
        JsonNode digest = node.get("digest");
        if (digest == null || !digest.isTextual()) {
            throw invalid(path + ".digest: missing");
        }
        Digest parsed;
        try {
            parsed = Digest.parse(digest.textValue());
        } catch (RegistryException e) {
            throw invalid(path + ".digest: " + e.detail());
        }
        JsonNode size = node.get("size");
        if (size == null || !size.canConvertToLong() || !size.isIntegralNumber() || size.longValue() < 0) {
            throw invalid(path + ".size: " + size + " (expected: a non-negative integer)");
        }
        return new Descriptor(mediaType, parsed, size.longValue(), optionalText(node, "artifactType"),
                stringMap(node, "annotations"), stringList(node, "urls"));
    }

    private static JsonNode field(JsonNode root, String name) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            throw invalid(name + ": missing");
        }
        return node;
    }

    private static String optionalText(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid(name + ": " + value.getNodeType() + " (expected: a string)");
        }
        return value.textValue();
    }

    private static Map<String, String> stringMap(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw invalid(name + ": " + value.getNodeType() + " (expected: an object of strings)");
        }
        Map<String, String> map = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            if (!entry.getValue().isTextual()) {
                throw invalid(name + "." + entry.getKey() + ": not a string");
            }
            map.put(entry.getKey(), entry.getValue().textValue());
        }
        return map;
    }

    private static List<String> stringList(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw invalid(name + ": " + value.getNodeType() + " (expected: an array of strings)");
        }
        List<String> list = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw invalid(name + ": contains a " + item.getNodeType() + " (expected: strings)");
            }
            list.add(item.textValue());
        }
        return list;
    }

    private static RegistryException invalid(String detail) {
        return ErrorCode.MANIFEST_INVALID.exception(detail);
    }
}
