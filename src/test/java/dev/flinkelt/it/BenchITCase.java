package dev.flinkelt.it;

import dev.flinkelt.bench.BenchTable;
import dev.flinkelt.demo.PgServer;
import dev.flinkelt.support.TestServers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar target/flink-elt.jar bench} at toy sizes: every contender's run is checked and
 * reported.
 */
class BenchITCase {

    @Test
    void benchRunsEachContenderChecksTheTargetAndWritesJsonMarkdownAndPlot(@TempDir Path tmp)
            throws Exception {
        Path out = tmp.resolve("results");
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                ReadmeITCase.javaBin(),
                                "-jar",
                                ReadmeITCase.JAR.toString(),
                                "bench",
                                "--snapshot-rows",
                                "3000",
                                "--stream-rows",
                                "500",
                                "--rates",
                                "300",
                                "--reps",
                                "1",
                                "--warmup",
                                "2",
                                "--measure",
                                "6",
                                "--per-row-seconds",
                                "1",
                                "--contenders",
                                "copy,logical-replication,per-row,flink-elt-p1-cp10s",
                                "--out",
                                out.toString()));
        Process p =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(tmp.resolve("bench.log").toFile())
                        .start();
        assertThat(p.waitFor(8, TimeUnit.MINUTES)).as("bench finished").isTrue();
        String log = Files.readString(tmp.resolve("bench.log"));
        assertThat(p.exitValue()).as(log).isZero();

        JsonNode runs =
                new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("runs");
        List<String> seen = new ArrayList<>();
        for (JsonNode r : runs) {
            String name = r.get("workload").asText() + " " + r.get("contender").asText();
            seen.add(name);
            assertThat(r.get("valid").asBoolean()).as(name + ": " + r.get("problem")).isTrue();
            assertThat(r.get("rowsPerSecond").asDouble()).as(name).isPositive();
            assertThat(
                            r.get("jvmCpuSeconds").asDouble()
                                    + r.get("sourceCpuSeconds").asDouble()
                                    + r.get("targetCpuSeconds").asDouble())
                    .as(name + " CPU")
                    .isPositive();
            if (r.get("workload").asText().equals("snapshot")
                    && !r.get("contender").asText().equals("per-row")) {
                assertThat(r.get("rows").asLong()).as(name).isEqualTo(3000);
            }
            if (r.get("workload").asText().equals("streaming")) {
                assertThat(r.get("latency").get("samples").asLong()).as(name).isPositive();
                assertThat(r.get("latency").get("p50").asDouble()).as(name).isPositive();
                assertThat(r.get("sustained").asBoolean()).as(name + " at 300 changes/s").isTrue();
            }
        }
        assertThat(seen)
                .containsExactlyInAnyOrder(
                        "snapshot copy",
                        "snapshot logical-replication",
                        "snapshot per-row",
                        "snapshot flink-elt-p1-cp10s",
                        "streaming logical-replication",
                        "streaming flink-elt-p1-cp10s");
        assertThat(Files.readString(out.resolve("results.md")))
                .contains("| flink-elt-p1-cp10s |", "| copy |");
        byte[] png = Files.readAllBytes(out.resolve("results.png"));
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }

    @Test
    void checksumTellsTablesApartByAnyValueButNotByRowOrder() throws Exception {
        PgServer pg = TestServers.source();
        pg.createDatabase("bench_checksum");
        try (Connection c = pg.connect("bench_checksum");
                Statement st = c.createStatement()) {
            BenchTable.create(c);
            BenchTable.fill(c, 1000);
            st.execute("CREATE TABLE bench.copy AS SELECT * FROM bench.items ORDER BY k DESC");
            BenchTable.Checksum original = BenchTable.checksum(c, BenchTable.QUALIFIED, null);
            assertThat(original.rows()).isEqualTo(1000);
            assertThat(BenchTable.checksum(c, "bench.copy", null)).isEqualTo(original);
            st.execute("UPDATE bench.copy SET d2 = d2 + 1e-9 WHERE k = 500");
            assertThat(BenchTable.checksum(c, "bench.copy", null)).isNotEqualTo(original);
        }
    }
}
