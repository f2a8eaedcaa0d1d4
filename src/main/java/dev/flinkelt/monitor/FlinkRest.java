package dev.flinkelt.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The few calls of Flink's REST API that {@code status} needs (a local run's Web UI port, a
 * cluster, a port-forward).
 */
public final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    /**
     * {@code base}: the REST address; credentials in it are dropped (they would be printed with
     * it).
     */
    public FlinkRest(String base) {
        String b = base.replaceFirst("^([a-zA-Z]+://)[^/@]*@", "$1");
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    }

    public String base() {
        return base;
    }

    JsonNode get(String path) throws IOException {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build();
        try {
            HttpResponse<String> response =
                    http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException(
                        "Flink REST API "
                                + base
                                + path
                                + " answered HTTP "
                                + response.statusCode());
            }
            return JSON.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** A job as the overview lists it. */
    public record Job(String id, String name, String state, long startMillis) {}

    /**
     * The newest job of that name that has not ended, else the newest of that name; null when none.
     */
    public Job job(String name) throws IOException {
        Job best = null;
        for (JsonNode j : get("/jobs/overview").path("jobs")) {
            if (!name.equals(j.path("name").asText())) {
                continue;
            }
            Job job =
                    new Job(
                            j.path("jid").asText(),
                            name,
                            j.path("state").asText(),
                            j.path("start-time").asLong());
            boolean live = !List.of("FINISHED", "CANCELED", "FAILED").contains(job.state());
            boolean bestLive =
                    best != null
                            && !List.of("FINISHED", "CANCELED", "FAILED").contains(best.state());
            if (best == null
                    || live && !bestLive
                    || live == bestLive && job.startMillis() > best.startMillis()) {
                best = job;
            }
        }
        return best;
    }

    /**
     * The values of the operator metrics of {@code job} whose name is one of {@code names}, per
     * subtask: subtask index → metric name → value, over every vertex.
     */
    public Map<Integer, Map<String, String>> metrics(String job, List<String> names)
            throws IOException {
        Map<Integer, Map<String, String>> out = new HashMap<>();
        metricValues(job, id -> names.stream().anyMatch(n -> id.endsWith("." + n)))
                .forEach(
                        (id, value) ->
                                out.computeIfAbsent(
                                                Integer.parseInt(id.substring(0, id.indexOf('.'))),
                                                k -> new HashMap<>())
                                        .put(id.substring(id.lastIndexOf('.') + 1), value));
        return out;
    }

    /**
     * The operator metrics of {@code job} whose id ({@code <subtask>.<operator>.<groups>.<name>})
     * passes {@code wanted}, over every vertex: id → value. Asked in batches: a job with hundreds
     * of tables has thousands of per-table metrics, too many ids for one URL.
     */
    public Map<String, String> metricValues(String job, Predicate<String> wanted)
            throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode v : get("/jobs/" + job).path("vertices")) {
            String vertex = "/jobs/" + job + "/vertices/" + v.path("id").asText() + "/metrics";
            List<String> ids = new ArrayList<>();
            for (JsonNode m : get(vertex)) {
                String id = m.path("id").asText();
                if (wanted.test(id)) {
                    ids.add(id);
                }
            }
            for (int from = 0; from < ids.size(); from += 50) {
                String query =
                        URLEncoder.encode(
                                String.join(
                                        ",", ids.subList(from, Math.min(ids.size(), from + 50))),
                                StandardCharsets.UTF_8);
                for (JsonNode m : get(vertex + "?get=" + query)) {
                    out.put(m.path("id").asText(), m.path("value").asText());
                }
            }
        }
        return out;
    }

    /**
     * The last completed checkpoint: id, when it completed (epoch ms), how long it took (ms), the
     * bytes it wrote (incremental with RocksDB), the whole state's size, and how many checkpoints
     * of the job have completed; null if none yet.
     */
    public record Checkpoint(
            long id,
            long completedMillis,
            long durationMillis,
            long bytes,
            long stateBytes,
            long completedCount) {}

    public Checkpoint lastCheckpoint(String job) throws IOException {
        JsonNode all = get("/jobs/" + job + "/checkpoints");
        JsonNode c = all.path("latest").path("completed");
        if (c.isMissingNode() || c.isNull()) {
            return null;
        }
        return new Checkpoint(
                c.path("id").asLong(),
                c.path("latest_ack_timestamp").asLong(),
                c.path("end_to_end_duration").asLong(),
                c.path("checkpointed_size").asLong(c.path("state_size").asLong()),
                c.path("state_size").asLong(),
                all.path("counts").path("completed").asLong());
    }
}
