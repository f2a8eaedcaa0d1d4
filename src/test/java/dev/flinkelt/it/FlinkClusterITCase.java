package dev.flinkelt.it;

import dev.flinkelt.runtime.JobEnvironment;
import dev.flinkelt.support.Accounts;
import dev.flinkelt.support.ChangeWriter;
import dev.flinkelt.support.Ledger;
import dev.flinkelt.support.Poll;
import dev.flinkelt.support.TestDatabases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.flinkelt.support.TestDatabases.rawRows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The slim job jar on a real standalone Flink 1.20.3 cluster (bin/flink-cluster: a JobManager JVM
 * and a TaskManager JVM from Maven-resolved Flink jars), driven only through the REST API: upload,
 * run, a TaskManager killed with SIGKILL and replaced, stop with savepoint, run again from the
 * savepoint. Ledger exact.
 */
class FlinkClusterITCase {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path JOB_JAR = Path.of("target", "flink-elt-job.jar");
    static final int ROWS = 10_000;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    String rest;

    JsonNode call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(rest + path)).timeout(Duration.ofMinutes(2));
        b =
                body == null
                        ? b.method(method, HttpRequest.BodyPublishers.noBody())
                        : b.header("Content-Type", "application/json")
                                .method(method, HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isBetween(200, 299);
        return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }

    String upload(Path jar) throws Exception {
        String boundary = "flinkelt" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(
                ("--"
                                + boundary
                                + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                                + jar.getFileName()
                                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(rest + "/jars/upload"))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("jar upload: %s", r.body()).isEqualTo(200);
        String file = JSON.readTree(r.body()).path("filename").asText();
        return Path.of(file).getFileName().toString();
    }

    String run(String jarId, List<String> args, String savepoint) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("programArgsList", args);
        if (savepoint != null) {
            body.put("savepointPath", savepoint);
        }
        return call("POST", "/jars/" + jarId + "/run", JSON.writeValueAsString(body))
                .path("jobid")
                .asText();
    }

    String jobState(String job) throws Exception {
        return call("GET", "/jobs/" + job, null).path("state").asText();
    }

    int script(Path clusterDir, String command, String... settings) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bin/flink-cluster", command));
        cmd.addAll(List.of(settings));
        ProcessBuilder pb =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(clusterDir.resolve("script.log").toFile());
        pb.environment().put("FLINK_CLUSTER_DIR", clusterDir.toString());
        Process p = pb.start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return p.exitValue();
    }

    @Test
    void slimJarOnARealClusterSurvivesATaskManagerKillAndResumesFromASavepoint(@TempDir Path tmp)
            throws Exception {
        Path cluster = Files.createDirectories(tmp.resolve("cluster"));
        int restPort = JobEnvironment.freePort();
        rest = "http://localhost:" + restPort;
        String[] settings = {
            "-D",
            "rest.port=" + restPort,
            "-D",
            "jobmanager.rpc.port=" + JobEnvironment.freePort(),
            "-D",
            "heartbeat.interval=1000",
            "-D",
            "heartbeat.timeout=8000",
            "-D",
            "taskmanager.numberOfTaskSlots=2",
            "-D",
            "execution.checkpointing.dir=file://" + tmp.resolve("cluster-checkpoints")
        };
        assertThat(script(cluster, "start", settings))
                .as(read(cluster.resolve("script.log")))
                .isZero();
        try {
            Poll.until(
                    Duration.ofMinutes(2),
                    () -> "a JobManager with one TaskManager at " + rest + "; " + logs(cluster),
                    () ->
                            reachable()
                                    && call("GET", "/overview", null).path("taskmanagers").asInt()
                                            == 1);
            TestDatabases p = new TestDatabases("cluster");
            Path cfg = tmp.resolve("pipeline.yaml");
            Files.writeString(cfg, p.yaml(Accounts.TABLES, 2));
            List<String> args = List.of("extract-load", "--config", cfg.toString());
            try (Connection src = p.src();
                    Connection writerConn = p.src();
                    Connection dst = p.dst()) {
                Ledger ledger = Accounts.create(src, ROWS);
                ChangeWriter writer = new ChangeWriter(writerConn, ledger, Accounts.TABLE, ROWS);

                String jarId = upload(JOB_JAR);
                String job = run(jarId, args, null);
                awaitRaw(dst, ROWS, job, cluster);
                writer.start();
                awaitRaw(dst, rawRows(dst, Accounts.RAW) + 2_000, job, cluster);

                // SIGKILL the TaskManager, start another: the job restarts there from its last
                // checkpoint
                long pid =
                        Long.parseLong(
                                Files.readString(cluster.resolve("taskmanager-0.pid")).trim());
                ProcessHandle.of(pid).orElseThrow().destroyForcibly();
                long killed = System.nanoTime();
                assertThat(script(cluster, "start-taskmanager", settings)).isZero();
                Poll.until(
                        Duration.ofMinutes(2),
                        () -> "the job to fail over after the kill",
                        () ->
                                !call("GET", "/jobs/" + job + "/exceptions", null)
                                        .path("exceptionHistory")
                                        .path("entries")
                                        .isEmpty());
                awaitRaw(dst, rawRows(dst, Accounts.RAW) + 2_000, job, cluster);
                double recovered = (System.nanoTime() - killed) / 1e9;

                // stop with savepoint through REST, then run the jar again from it
                String savepoint = stopWithSavepoint(job, tmp);
                String again = run(jarId, args, savepoint);
                long total = ROWS + writer.finish();
                awaitRaw(dst, total, again, cluster);
                Poll.until(
                        Duration.ofMinutes(1),
                        () -> "two checkpoints of the resumed job",
                        () ->
                                call("GET", "/jobs/" + again + "/checkpoints", null)
                                                .path("counts")
                                                .path("completed")
                                                .asInt()
                                        >= 2);
                ledger.assertRawMatches(dst);
                call(
                        "POST",
                        "/jobs/" + again + "/stop",
                        JSON.writeValueAsString(
                                Map.of(
                                        "targetDirectory",
                                        tmp.resolve("savepoints").toUri().toString())));
                Poll.until(
                        Duration.ofMinutes(1),
                        () -> "the job to stop",
                        () -> jobState(again).equals("FINISHED"));
                assertThat(p.preparedTransactions())
                        .as("prepared transactions left on the warehouse")
                        .isZero();
                ledger.assertRawMatches(dst);
                System.out.printf(
                        "real cluster: TaskManager SIGKILLed, 2,000 more raw rows %.1f s later; %d raw rows exact after a savepoint resubmit%n",
                        recovered, total);
            }
        } finally {
            script(cluster, "stop");
        }
    }

    /**
     * Stops {@code job} with a savepoint and returns its location. Flink refuses a savepoint while
     * only some subtasks of a vertex with union list state (the source tracker's) have finished
     * their operators (FLIP-147); seen once in many runs right after the failover, it leaves the
     * job running, and a second stop succeeds. Any other failure fails the test.
     */
    String stopWithSavepoint(String job, Path tmp) throws Exception {
        for (int attempt = 1; ; attempt++) {
            String trigger =
                    call(
                                    "POST",
                                    "/jobs/" + job + "/stop",
                                    JSON.writeValueAsString(
                                            Map.of(
                                                    "targetDirectory",
                                                    tmp.resolve("savepoints").toUri().toString(),
                                                    "drain",
                                                    false)))
                            .path("request-id")
                            .asText();
            JsonNode[] done = new JsonNode[1];
            Poll.until(
                    Duration.ofMinutes(2),
                    () -> "the savepoint",
                    () -> {
                        done[0] = call("GET", "/jobs/" + job + "/savepoints/" + trigger, null);
                        return "COMPLETED".equals(done[0].path("status").path("id").asText());
                    });
            JsonNode failure = done[0].path("operation").path("failure-cause");
            if (failure.isMissingNode()) {
                return done[0].path("operation").path("location").asText();
            }
            assertThat(attempt == 1 && failure.toString().contains("PartialFinishingNotSupported"))
                    .as("savepoint failed: %s", done[0])
                    .isTrue();
            Poll.until(
                    Duration.ofMinutes(2),
                    () -> "the job to run again after the refused stop",
                    () -> jobState(job).equals("RUNNING"));
        }
    }

    void awaitRaw(Connection dst, long n, String job, Path cluster) throws Exception {
        Poll.until(
                Duration.ofMinutes(3),
                () -> n + " raw rows; job " + job + "; " + logs(cluster),
                () -> {
                    String state = jobState(job);
                    assertThat(state)
                            .as("job %s; %s", job, logs(cluster))
                            .isNotIn("FAILED", "CANCELED", "FINISHED");
                    return rawRows(dst, Accounts.RAW) >= n;
                });
    }

    boolean reachable() {
        try {
            http.send(
                    HttpRequest.newBuilder(URI.create(rest + "/overview")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    static String logs(Path cluster) {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(cluster.resolve("log"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".out")).sorted().toList()) {
                String text = read(f);
                sb.append("\n--- ")
                        .append(f.getFileName())
                        .append(":\n")
                        .append(text.length() > 3000 ? text.substring(text.length() - 3000) : text);
            }
        } catch (Exception e) {
            sb.append(e);
        }
        return sb.toString();
    }

    static String read(Path p) {
        return ExtractLoadCliITCase.read(p);
    }
}
