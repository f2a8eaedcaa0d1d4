package dev.flinkelt.bench.tpch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The latest completed checkpoint of the running job of a local Flink Web UI, from its REST API
 * ({@code /jobs/overview}, {@code /jobs/<id>/checkpoints}): the transform's state size.
 */
public final class FlinkCheckpoints {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private FlinkCheckpoints() {}

    /**
     * Full state size and the bytes the checkpoint itself wrote (incremental with RocksDB), in
     * bytes, and how many checkpoints completed so far.
     */
    public record Size(long stateBytes, long checkpointedBytes, long completed) {}

    /**
     * The latest completed checkpoint's size, or null if the REST API or a checkpoint is absent.
     */
    public static Size latest(int port) {
        try {
            String base = "http://127.0.0.1:" + port;
            String job = null;
            for (JsonNode j : get(base + "/jobs/overview").path("jobs")) {
                if (j.path("state").asText().equals("RUNNING")) {
                    job = j.path("jid").asText();
                }
            }
            if (job == null) {
                return null;
            }
            JsonNode cp = get(base + "/jobs/" + job + "/checkpoints");
            JsonNode done = cp.path("latest").path("completed");
            if (done.isMissingNode() || done.isNull()) {
                return null;
            }
            return new Size(
                    done.path("state_size").asLong(),
                    done.path("checkpointed_size").asLong(),
                    cp.path("counts").path("completed").asLong());
        } catch (Exception e) {
            return null; // the figure is optional: an unreachable Web UI only leaves it out
        }
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body());
    }
}
