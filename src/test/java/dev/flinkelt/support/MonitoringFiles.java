package dev.flinkelt.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL of the shipped dashboard and alert rules (k8s/monitoring), and the metrics it names.
 */
public final class MonitoringFiles {
    static final Path DIR = Path.of("k8s/monitoring");
    static final Pattern METRIC = Pattern.compile("\\bflink_[A-Za-z0-9_]+");

    private MonitoringFiles() {}

    /** Every PromQL expression: the dashboard's targets and variables, the rules' exprs. */
    public static List<String> expressions() throws IOException {
        List<String> out = new ArrayList<>();
        JsonNode dashboard =
                new ObjectMapper().readTree(DIR.resolve("flink-elt-dashboard.json").toFile());
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode t : panel.path("targets")) {
                out.add(t.path("expr").asText());
            }
        }
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (v.has("definition")) {
                out.add(v.path("definition").asText());
            }
        }
        JsonNode rules =
                new ObjectMapper(new YAMLFactory())
                        .readTree(DIR.resolve("prometheus-rules.yaml").toFile());
        for (JsonNode g : rules.path("spec").path("groups")) {
            for (JsonNode r : g.path("rules")) {
                out.add(r.path("expr").asText());
            }
        }
        return out;
    }

    /** The metric names those expressions use. */
    public static Set<String> metricNames() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String e : expressions()) {
            Matcher m = METRIC.matcher(e);
            while (m.find()) {
                names.add(m.group());
            }
        }
        return names;
    }
}
