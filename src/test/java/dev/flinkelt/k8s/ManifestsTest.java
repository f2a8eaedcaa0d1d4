package dev.flinkelt.k8s;

import dev.flinkelt.cli.Main;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.runtime.JobEnvironment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.FlinkVersion;
import org.apache.flink.kubernetes.operator.api.spec.UpgradeMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The k8s/ kustomizations, rendered, checked offline: each custom resource against the Flink
 * Kubernetes Operator's own CRD schema (1.10, strict: an object with declared properties takes no
 * others, so a misspelled field fails), then typed with the operator's model classes for what a
 * production deployment needs.
 */
class ManifestsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern DOCKER_FROM = Pattern.compile("(?m)^FROM flink:(\\S+)-java17\\s*$");
    static final Pattern DOCKER_JAR =
            Pattern.compile(
                    "(?m)^COPY --from=build --chown=flink:flink \\S+ (/opt/flink/usrlib/\\S+)\\s*$");
    static final Pattern POM_FLINK = Pattern.compile("<flink.version>([^<]+)</flink.version>");

    /** The CRD's schema of {@code kind} at version v1beta1, made strict. */
    static Schema crdSchema(String crdFile) throws IOException {
        try (InputStream in =
                FlinkDeployment.class.getResourceAsStream("/META-INF/fabric8/" + crdFile)) {
            assertThat(in).as(crdFile + " in flink-kubernetes-operator-api").isNotNull();
            JsonNode crd = Kustomize.YAML.readTree(in);
            JsonNode schema = null;
            for (JsonNode v : crd.path("spec").path("versions")) {
                if (v.path("name").asText().equals("v1beta1")) {
                    schema = v.path("schema").path("openAPIV3Schema");
                }
            }
            assertThat(schema).as("v1beta1 schema in " + crdFile).isNotNull();
            // every Kubernetes object has these; the CRD leaves them implicit
            ObjectNode props = (ObjectNode) schema.path("properties");
            props.putObject("apiVersion").put("type", "string").put("enum", (String) null);
            props.putObject("kind").put("type", "string");
            props.putObject("metadata").put("type", "object");
            ((ObjectNode) props.get("apiVersion")).putArray("enum").add("flink.apache.org/v1beta1");
            strict(schema);
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4)
                    .getSchema(JSON.writeValueAsString(schema), InputFormat.JSON);
        }
    }

    /**
     * Closes every object schema that lists its properties, as the API server's pruning would drop
     * the rest.
     */
    static void strict(JsonNode node) {
        if (node instanceof ObjectNode o) {
            if (o.has("properties")
                    && !o.has("additionalProperties")
                    && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
                o.put("additionalProperties", false);
            }
            o.forEach(ManifestsTest::strict);
        } else if (node.isArray()) {
            node.forEach(ManifestsTest::strict);
        }
    }

    static List<String> violations(Schema schema, JsonNode doc) throws IOException {
        List<String> out = new ArrayList<>();
        schema.validate(JSON.writeValueAsString(doc), InputFormat.JSON)
                .forEach(e -> out.add(e.toString()));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/example", "k8s/overlays/pvc-storage"})
    void everyFlinkDeploymentIsValidAndProductionReady(String dir) throws Exception {
        Schema schema = crdSchema("flinkdeployments.flink.apache.org-v1.yml");
        List<ObjectNode> docs = Kustomize.render(Path.of(dir));
        Optional<List<ObjectNode>> real = Kustomize.renderWithKubectl(Path.of(dir));
        if (real.isPresent()) {
            // the renderer here agrees with kustomize itself on what matters: the deployments and
            // their config
            for (String kind : List.of("FlinkDeployment", "ConfigMap")) {
                assertThat(ofKind(docs, kind))
                        .as("%s of %s: this renderer vs kubectl kustomize", kind, dir)
                        .isEqualTo(ofKind(real.get(), kind));
            }
            docs = real.get();
        }
        System.out.println(
                dir
                        + " rendered by "
                        + (real.isPresent()
                                ? "kubectl kustomize"
                                : "the test's renderer (no kubectl here)"));
        List<ObjectNode> deployments =
                docs.stream()
                        .filter(d -> d.path("kind").asText().equals("FlinkDeployment"))
                        .toList();
        assertThat(deployments)
                .extracting(d -> d.path("metadata").path("name").asText())
                .containsExactlyInAnyOrder("flink-elt-extract-load", "flink-elt-transform");
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        String flinkVersion = match(POM_FLINK, Files.readString(Path.of("pom.xml")));
        Map<String, String> configMaps = configMapFiles(docs);

        for (ObjectNode d : deployments) {
            String name = d.path("metadata").path("name").asText();
            assertThat(violations(schema, d))
                    .as("%s in %s against the operator's CRD schema", name, dir)
                    .isEmpty();
            FlinkDeployment fd = JSON.treeToValue(d, FlinkDeployment.class);
            Map<String, String> conf = fd.getSpec().getFlinkConfiguration();
            assertThat(fd.getSpec().getFlinkVersion()).isEqualTo(FlinkVersion.v1_20);
            assertThat(flinkVersion).as("pom's Flink version").startsWith("1.20.");
            assertThat(match(DOCKER_FROM, dockerfile))
                    .as("Dockerfile base image tag")
                    .isEqualTo(flinkVersion);
            assertThat(conf)
                    .containsEntry("high-availability.type", "kubernetes")
                    .containsKey("high-availability.storageDir")
                    .containsKey("execution.checkpointing.dir")
                    .containsKey("execution.checkpointing.savepoint-dir")
                    .containsKey("kubernetes.operator.periodic.savepoint.interval")
                    .containsKey("kubernetes.operator.savepoint.history.max.count");
            assertThat(fd.getSpec().getJob().getUpgradeMode()).isEqualTo(UpgradeMode.SAVEPOINT);
            assertThat(fd.getSpec().getJob().getJarURI())
                    .isEqualTo("local://" + match(DOCKER_JAR, dockerfile));
            assertThat(fd.getSpec().getJob().getEntryClass()).isEqualTo(Main.class.getName());
            assertThat(fd.getSpec().getServiceAccount()).isEqualTo("flink-elt");
            assertThat(docs)
                    .anyMatch(
                            r ->
                                    r.path("kind").asText().equals("ServiceAccount")
                                            && r.path("metadata")
                                                    .path("name")
                                                    .asText()
                                                    .equals("flink-elt"));
            FlinkOptionKeys.assertAllKnown(conf, name);

            // the args are a valid command line of the jar, and the config file they name parses
            String[] args = fd.getSpec().getJob().getArgs();
            CommandLine.ParseResult parsed = Main.commandLine().parseArgs(args);
            assertThat(parsed.subcommand()).as("subcommand of %s", List.of(args)).isNotNull();
            String configPath =
                    parsed.subcommand().matchedOptionValue("--config", (Path) null).toString();
            String file = configMaps.get(configPath);
            assertThat(file).as("%s is mounted from a ConfigMap", configPath).isNotNull();
            assertThat(file).doesNotContainPattern("password:\\s*[^$\\s]");
            PipelineConfig.parse(file, Map.of("SOURCE_PASSWORD", "x", "TARGET_PASSWORD", "y"));

            // passwords come from the Secret, never inline
            JsonNode env =
                    d.path("spec")
                            .path("podTemplate")
                            .path("spec")
                            .path("containers")
                            .path(0)
                            .path("env");
            for (String var : List.of("SOURCE_PASSWORD", "TARGET_PASSWORD")) {
                JsonNode e = null;
                for (JsonNode x : env) {
                    if (x.path("name").asText().equals(var)) {
                        e = x;
                    }
                }
                assertThat(e).as("%s in %s", var, name).isNotNull();
                assertThat(e.has("value")).as("%s inline", var).isFalse();
                assertThat(e.path("valueFrom").path("secretKeyRef").path("name").asText())
                        .isEqualTo("flink-elt-db");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/snapshots/savepoint-now.yaml"})
    void stateSnapshotExampleIsValid(String file) throws Exception {
        Schema schema = crdSchema("flinkstatesnapshots.flink.apache.org-v1.yml");
        for (ObjectNode d : Kustomize.read(Path.of(file))) {
            assertThat(violations(schema, d)).as(file).isEmpty();
            assertThat(d.path("spec").path("jobReference").path("name").asText())
                    .isEqualTo("flink-elt-extract-load");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/example", "k8s/overlays/pvc-storage"})
    void everyOverlayShipsAPodMonitorOfBothJobsAlertRulesAndTheDashboard(String dir)
            throws Exception {
        List<ObjectNode> docs = Kustomize.render(Path.of(dir));
        ObjectNode monitor = only(docs, "PodMonitor");
        String port =
                monitor.path("spec").path("podMetricsEndpoints").path(0).path("port").asText();
        for (ObjectNode d :
                ofKind(docs, "FlinkDeployment").stream().map(ObjectNode.class::cast).toList()) {
            JsonNode pod = d.path("spec").path("podTemplate");
            monitor.path("spec")
                    .path("selector")
                    .path("matchLabels")
                    .properties()
                    .forEach(
                            l ->
                                    assertThat(pod.path("metadata").path("labels").path(l.getKey()))
                                            .as(
                                                    "pods of %s carry the PodMonitor's label",
                                                    d.path("metadata").path("name"))
                                            .isEqualTo(l.getValue()));
            JsonNode scraped = null;
            for (JsonNode p : pod.path("spec").path("containers").path(0).path("ports")) {
                if (p.path("name").asText().equals(port)) {
                    scraped = p;
                }
            }
            assertThat(scraped).as("container port %s", port).isNotNull();
            Map<String, String> conf =
                    JSON.convertValue(
                            d.path("spec").path("flinkConfiguration"),
                            new com.fasterxml.jackson.core.type.TypeReference<
                                    Map<String, String>>() {});
            assertThat(conf)
                    .as("the reporter as a local run sets it, on the scraped port")
                    .containsAllEntriesOf(
                            JobEnvironment.prometheus(
                                            new Configuration(),
                                            scraped.path("containerPort").asText())
                                    .toMap());
        }
        ObjectNode rules = only(docs, "PrometheusRule");
        JsonNode list = rules.path("spec").path("groups").path(0).path("rules");
        assertThat(list.size()).isGreaterThanOrEqualTo(8);
        for (JsonNode r : list) {
            assertThat(r.path("alert").asText()).startsWith("FlinkElt");
            assertThat(r.path("expr").asText()).contains("flink_");
            assertThat(r.path("labels").path("severity").asText()).isIn("warning", "critical");
            assertThat(r.path("annotations").path("summary").asText()).isNotBlank();
        }
        ObjectNode dashboard =
                docs.stream()
                        .filter(
                                d ->
                                        d.path("kind").asText().equals("ConfigMap")
                                                && d.path("metadata")
                                                        .path("labels")
                                                        .path("grafana_dashboard")
                                                        .asText()
                                                        .equals("1"))
                        .findFirst()
                        .orElseThrow();
        JsonNode json =
                JSON.readTree(dashboard.path("data").path("flink-elt-dashboard.json").asText());
        assertThat(json.path("uid").asText()).isEqualTo("flink-elt");
        for (JsonNode panel : json.path("panels")) {
            if (!panel.path("type").asText().equals("row")) {
                assertThat(panel.path("targets").size()).as("%s", panel.path("title")).isPositive();
            }
        }
    }

    private static ObjectNode only(List<ObjectNode> docs, String kind) {
        Set<JsonNode> found = ofKind(docs, kind);
        assertThat(found).as(kind).hasSize(1);
        return (ObjectNode) found.iterator().next();
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base"})
    void aMisspelledFieldIsRejected(String dir) throws Exception {
        Schema schema = crdSchema("flinkdeployments.flink.apache.org-v1.yml");
        ObjectNode d =
                Kustomize.render(Path.of(dir)).stream()
                        .filter(x -> x.path("kind").asText().equals("FlinkDeployment"))
                        .findFirst()
                        .orElseThrow();
        ((ObjectNode) d.path("spec").path("job")).put("upgradeMod", "savepoint");
        assertThat(violations(schema, d)).anyMatch(v -> v.contains("upgradeMod"));
    }

    static Set<JsonNode> ofKind(List<ObjectNode> docs, String kind) {
        return docs.stream()
                .filter(d -> d.path("kind").asText().equals(kind))
                .collect(Collectors.toSet());
    }

    /** Files of the ConfigMaps by the path they are mounted at (mount path + key). */
    static Map<String, String> configMapFiles(List<ObjectNode> docs) {
        Map<String, String> files = new HashMap<>();
        for (ObjectNode d : docs) {
            if (!d.path("kind").asText().equals("FlinkDeployment")) {
                continue;
            }
            JsonNode spec = d.path("spec").path("podTemplate").path("spec");
            for (JsonNode m : spec.path("containers").path(0).path("volumeMounts")) {
                for (JsonNode v : spec.path("volumes")) {
                    if (v.path("name").asText().equals(m.path("name").asText())
                            && v.has("configMap")) {
                        String cm = v.path("configMap").path("name").asText();
                        docs.stream()
                                .filter(
                                        x ->
                                                x.path("kind").asText().equals("ConfigMap")
                                                        && x.path("metadata")
                                                                .path("name")
                                                                .asText()
                                                                .equals(cm))
                                .forEach(
                                        x ->
                                                x.path("data")
                                                        .properties()
                                                        .forEach(
                                                                e ->
                                                                        files.put(
                                                                                m.path("mountPath")
                                                                                                .asText()
                                                                                        + "/"
                                                                                        + e
                                                                                                .getKey(),
                                                                                e.getValue()
                                                                                        .asText())));
                    }
                }
            }
        }
        return files;
    }

    static String match(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertThat(m.find()).as("%s in the text", p).isTrue();
        return m.group(1);
    }
}
