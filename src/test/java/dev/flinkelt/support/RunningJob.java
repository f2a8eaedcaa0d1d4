package dev.flinkelt.support;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.extractload.ExtractLoadLauncher;
import dev.flinkelt.load.sink.PreparedTransactions;
import dev.flinkelt.load.sink.TransactionName;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.pg.TableSchema;
import dev.flinkelt.runtime.JobEnvironment;
import dev.flinkelt.runtime.Resume;
import dev.flinkelt.runtime.RetainedCheckpoints;
import dev.flinkelt.track.SourcePreparer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real extract-load job submitted to the test MiniCluster, with helpers to watch and stop it.
 */
public final class RunningJob implements AutoCloseable {

    public final List<TableSchema> tables;
    private final JobClient client;
    private final ClusterClient<?> cluster;
    private PipelineConfig config;
    private boolean stopped;

    private RunningJob(List<TableSchema> tables, JobClient client, ClusterClient<?> cluster) {
        this.tables = tables;
        this.client = client;
        this.cluster = cluster;
    }

    public static RunningJob start(
            PipelineConfig cfg,
            ClusterClient<?> cluster,
            UnaryOperator<DataStream<ChangeEvent>> tap)
            throws Exception {
        return start(cfg, cluster, tap, null);
    }

    /**
     * As above, restored from {@code savepoint} (a savepoint or retained checkpoint) when it is not
     * null.
     */
    public static RunningJob start(
            PipelineConfig cfg,
            ClusterClient<?> cluster,
            UnaryOperator<DataStream<ChangeEvent>> tap,
            String savepoint)
            throws Exception {
        Resume resume =
                savepoint == null
                        ? Resume.FRESH
                        : new Resume(savepoint, RetainedCheckpoints.checkpointId(savepoint));
        SourcePreparer.Result prepared =
                ExtractLoadLauncher.prepare(cfg, resume, false, System.out);
        StreamExecutionEnvironment env =
                JobEnvironment.create(cfg, JobEnvironment.EXTRACT_LOAD, -1, savepoint);
        ExtractLoadLauncher.addTo(env, cfg, prepared, tap);
        RunningJob job =
                new RunningJob(
                        prepared.tables(),
                        env.executeAsync(ExtractLoadLauncher.jobName(cfg)),
                        cluster);
        job.config = cfg;
        return job;
    }

    public static RunningJob start(PipelineConfig cfg, ClusterClient<?> cluster) throws Exception {
        return start(cfg, cluster, UnaryOperator.identity());
    }

    /** Completed checkpoints so far, from the cluster's REST API. */
    public long completedCheckpoints() throws Exception {
        return new ObjectMapper()
                .readTree(get("/jobs/" + client.getJobID() + "/checkpoints"))
                .path("counts")
                .path("completed")
                .asLong(0);
    }

    /**
     * The sum over subtasks of the metric ending in {@code metric} of the first job vertex whose
     * name contains {@code vertex}, from the REST API; -1 while the metric is not reported yet.
     */
    public long metricSum(String vertex, String metric) throws Exception {
        ObjectMapper json = new ObjectMapper();
        String vertexId = null;
        for (JsonNode v : json.readTree(rest("")).get("vertices")) {
            if (v.get("name").asText().contains(vertex)) {
                vertexId = v.get("id").asText();
                break;
            }
        }
        if (vertexId == null) {
            return -1;
        }
        for (JsonNode m : json.readTree(rest("/vertices/" + vertexId + "/subtasks/metrics"))) {
            String id = m.get("id").asText();
            if (id.endsWith("." + metric)) {
                JsonNode r =
                        json.readTree(
                                rest(
                                        "/vertices/"
                                                + vertexId
                                                + "/subtasks/metrics?get="
                                                + URLEncoder.encode(id, StandardCharsets.UTF_8)
                                                + "&agg=sum"));
                return r.isEmpty() ? -1 : (long) r.get(0).get("sum").asDouble();
            }
        }
        return -1;
    }

    /** The state backend the running job uses, from the cluster's REST API. */
    public String stateBackend() throws Exception {
        return get("/jobs/" + client.getJobID() + "/checkpoints/config");
    }

    /** The REST API's answer for {@code /jobs/<this job><path>}. */
    public String rest(String path) throws Exception {
        return get("/jobs/" + client.getJobID() + path);
    }

    private String get(String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(cluster.getWebInterfaceURL() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /**
     * Waits until {@code n} more checkpoints complete: everything read before now is then
     * committed.
     */
    public void awaitCheckpoints(int n) throws Exception {
        long target = completedCheckpoints() + n;
        Poll.until(
                Duration.ofSeconds(60),
                () -> target + " completed checkpoints",
                () -> {
                    assertRunning();
                    return completedCheckpoints() >= target;
                });
    }

    /**
     * Waits (up to 3 minutes, failing early if the job ends) until raw."<rawTable>" holds at least
     * {@code n} rows.
     */
    public void awaitRawRows(Connection dst, String rawTable, long n) throws Exception {
        Poll.until(
                Duration.ofMinutes(3),
                () -> n + " rows in raw." + rawTable,
                () -> {
                    assertRunning();
                    return TestDatabases.rawRows(dst, rawTable) >= n;
                });
    }

    /** The job has not failed once (no entry in its exception history). */
    public void assertNeverFailed() throws Exception {
        assertThat(
                        new ObjectMapper()
                                .readTree(rest("/exceptions"))
                                .path("exceptionHistory")
                                .path("entries"))
                .as("failures of the job")
                .isEmpty();
    }

    public void assertRunning() throws Exception {
        JobStatus s = client.getJobStatus().get();
        if (s.isGloballyTerminalState()) {
            throw new AssertionError(
                    "job ended with "
                            + s
                            + ": "
                            + client.getJobExecutionResult()
                                    .handle((r, e) -> String.valueOf(e))
                                    .get());
        }
    }

    /** Waits for the job's end: its result, or the failure that ended it. */
    public void result() throws Exception {
        client.getJobExecutionResult().get(2, TimeUnit.MINUTES);
    }

    public JobStatus status() throws Exception {
        return client.getJobStatus().get();
    }

    /**
     * Stop with a savepoint: the sink commits everything it prepared. Returns the savepoint path.
     */
    public String stopWithSavepoint(Path dir) throws Exception {
        Files.createDirectories(dir);
        stopped = true;
        return client.stopWithSavepoint(
                        false, dir.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(2, TimeUnit.MINUTES);
    }

    /**
     * Cancels a job that still runs. A cancelled job leaves the prepared transactions of its
     * unfinished checkpoint (a resumed run would resolve them); nothing resumes a test's job, so
     * they are rolled back here, as a fresh start would: left behind they hold back every logical
     * slot created on the shared warehouse server.
     */
    @Override
    public void close() throws Exception {
        if (!stopped && !client.getJobStatus().get().isGloballyTerminalState()) {
            client.cancel().get(1, TimeUnit.MINUTES);
            Poll.until(
                    Duration.ofMinutes(1),
                    () -> "the cancelled job to end",
                    () -> client.getJobStatus().get().isGloballyTerminalState());
        }
        if (!stopped && config != null) {
            try (Connection c = Connections.open(config.target, "target")) {
                PreparedTransactions.rollBackStrays(
                        c, TransactionName.pipelineOf(config), OptionalLong.empty(), s -> true);
            }
        }
    }
}
