package dev.flinkelt.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization the way {@code kubectl apply -k} would, for the features k8s/ uses (no
 * kustomize binary here): resources (files and directories), namespace, common labels, patches from
 * files (merged into the resource of the same kind and name; maps merge, everything else is
 * replaced) and inline JSON 6902 patches with a kind/name target (add, replace, remove). Anything
 * else in a kustomization fails the render.
 */
final class Kustomize {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Kustomize() {}

    static List<ObjectNode> render(Path dir) throws IOException {
        JsonNode k = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
        for (Iterator<String> it = k.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of(
                            "apiVersion",
                            "kind",
                            "resources",
                            "namespace",
                            "labels",
                            "patches",
                            "configMapGenerator",
                            "generatorOptions")
                    .contains(f)) {
                throw new IllegalArgumentException(
                        dir
                                + ": kustomization field '"
                                + f
                                + "' is not supported by this renderer");
            }
        }
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode r : k.path("resources")) {
            Path p = dir.resolve(r.asText()).normalize();
            out.addAll(Files.isDirectory(p) ? render(p) : read(p));
        }
        for (JsonNode g : k.path("configMapGenerator")) {
            out.add(configMap(dir, g, k.path("generatorOptions")));
        }
        for (JsonNode patch : k.path("patches")) {
            if (patch.has("path")) {
                for (ObjectNode merge : read(dir.resolve(patch.get("path").asText()))) {
                    ObjectNode target =
                            find(
                                    out,
                                    merge.path("kind").asText(),
                                    merge.path("metadata").path("name").asText(),
                                    dir);
                    merge(target, merge);
                }
            } else {
                String kind = patch.path("target").path("kind").asText();
                String name = patch.path("target").path("name").asText(null);
                ArrayNode ops = (ArrayNode) YAML.readTree(patch.path("patch").asText());
                List<ObjectNode> targets =
                        out.stream()
                                .filter(
                                        o ->
                                                o.path("kind").asText().equals(kind)
                                                        && (name == null
                                                                || o.path("metadata")
                                                                        .path("name")
                                                                        .asText()
                                                                        .equals(name)))
                                .toList();
                if (targets.isEmpty()) {
                    throw new IllegalArgumentException(
                            dir + ": patch target " + kind + "/" + name + " matches nothing");
                }
                for (ObjectNode t : targets) {
                    ops.forEach(op -> JsonPatch.apply(t, op));
                }
            }
        }
        if (k.has("namespace")) {
            out.forEach(
                    o ->
                            ((ObjectNode) o.with("metadata"))
                                    .put("namespace", k.get("namespace").asText()));
        }
        for (JsonNode l : k.path("labels")) {
            for (Map.Entry<String, JsonNode> e : l.path("pairs").properties()) {
                out.forEach(o -> o.with("metadata").with("labels").set(e.getKey(), e.getValue()));
            }
        }
        return out;
    }

    /**
     * A ConfigMap of {@code files} (each a key named as the file), with the generator's labels;
     * kustomize's name hash suffix is not rendered, so it must be turned off.
     */
    private static ObjectNode configMap(Path dir, JsonNode g, JsonNode options) throws IOException {
        if (!options.path("disableNameSuffixHash").asBoolean()) {
            throw new IllegalArgumentException(
                    dir
                            + ": a configMapGenerator needs generatorOptions.disableNameSuffixHash here");
        }
        ObjectNode cm = YAML.createObjectNode();
        cm.put("apiVersion", "v1");
        cm.put("kind", "ConfigMap");
        ObjectNode meta = cm.putObject("metadata");
        meta.put("name", g.path("name").asText());
        if (g.path("options").has("labels")) {
            meta.set("labels", g.path("options").path("labels").deepCopy());
        }
        ObjectNode data = cm.putObject("data");
        for (JsonNode f : g.path("files")) {
            Path file = dir.resolve(f.asText());
            data.put(file.getFileName().toString(), Files.readString(file));
        }
        return cm;
    }

    /**
     * The same render by the real kustomize ({@code kubectl kustomize}), when kubectl is on this
     * machine.
     */
    static Optional<List<ObjectNode>> renderWithKubectl(Path dir) throws Exception {
        Process p;
        try {
            p =
                    new ProcessBuilder("kubectl", "kustomize", dir.toString())
                            .redirectErrorStream(true)
                            .start();
        } catch (IOException e) {
            return Optional.empty(); // no kubectl
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("kubectl kustomize " + dir + " failed:\n" + out);
        }
        List<ObjectNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(out)) {
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && n.isObject() && !n.isEmpty()) {
                    docs.add((ObjectNode) n);
                }
            }
        }
        return Optional.of(docs);
    }

    static List<ObjectNode> read(Path file) throws IOException {
        List<ObjectNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it =
                YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && n.isObject() && !n.isEmpty()) {
                    docs.add((ObjectNode) n);
                }
            }
        }
        return docs;
    }

    private static ObjectNode find(List<ObjectNode> docs, String kind, String name, Path dir) {
        return docs.stream()
                .filter(
                        o ->
                                o.path("kind").asText().equals(kind)
                                        && o.path("metadata").path("name").asText().equals(name))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        dir
                                                + ": patch for "
                                                + kind
                                                + "/"
                                                + name
                                                + " matches nothing"));
    }

    private static void merge(ObjectNode target, JsonNode patch) {
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            JsonNode old = target.get(e.getKey());
            if (old instanceof ObjectNode o && e.getValue().isObject()) {
                merge(o, e.getValue());
            } else {
                target.set(e.getKey(), e.getValue());
            }
        }
    }

    /** RFC 6902 add/replace/remove on JSON pointers (~1 and ~0 escapes, "-" appends). */
    static final class JsonPatch {
        private JsonPatch() {}

        static void apply(ObjectNode doc, JsonNode op) {
            String path = op.path("path").asText();
            String[] parts = path.substring(1).split("/", -1);
            JsonNode parent = doc;
            for (int i = 0; i < parts.length - 1; i++) {
                parent = child(parent, unescape(parts[i]), path);
            }
            String last = unescape(parts[parts.length - 1]);
            String kind = op.path("op").asText();
            if (parent instanceof ObjectNode o) {
                if (!kind.equals("add") && !o.has(last)) {
                    throw new IllegalArgumentException(
                            "patch " + kind + " " + path + ": no such field");
                }
                if (kind.equals("remove")) {
                    o.remove(last);
                } else {
                    o.set(last, op.get("value"));
                }
            } else if (parent instanceof ArrayNode a) {
                int index = last.equals("-") ? a.size() : Integer.parseInt(last);
                switch (kind) {
                    case "add" -> a.insert(index, op.get("value"));
                    case "replace" -> a.set(index, op.get("value"));
                    case "remove" -> a.remove(index);
                    default ->
                            throw new IllegalArgumentException(
                                    "patch op " + kind + " not supported");
                }
            } else {
                throw new IllegalArgumentException("patch " + path + ": parent is not a container");
            }
        }

        private static JsonNode child(JsonNode parent, String key, String path) {
            JsonNode c = parent.isArray() ? parent.get(Integer.parseInt(key)) : parent.get(key);
            if (c == null) {
                throw new IllegalArgumentException(
                        "patch " + path + ": '" + key + "' does not exist");
            }
            return c;
        }

        private static String unescape(String s) {
            return s.replace("~1", "/").replace("~0", "~");
        }
    }
}
