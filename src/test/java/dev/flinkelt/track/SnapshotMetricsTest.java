package dev.flinkelt.track;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotMetricsTest {
    /** Keeps the metrics registered, by name. */
    static final class Group extends UnregisteredMetricsGroup {
        final Map<String, Metric> metrics = new HashMap<>();

        @Override
        public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
            metrics.put(name, gauge);
            return gauge;
        }
    }

    @SuppressWarnings("unchecked")
    static <T> T value(Group g, String name) {
        return ((Gauge<T>) g.metrics.get(name)).getValue();
    }

    @Test
    void eachRequestedTableIsReportedWithItsStateAndHostileNamesSurviveTheJson() throws Exception {
        Group group = new Group();
        SnapshotMetrics metrics = new SnapshotMetrics(group, 300);
        SnapshotProgress p = new SnapshotProgress();
        String hostile = "public.\"we\\ird\n name\"";
        p.read.put("public.done", new long[] {500, 1});
        p.read.put(hostile, new long[] {250, 2});
        p.read.put("public.later", new long[] {0, 0});
        p.current = new SnapshotProgress.Request(hostile, 1, 2, 0);
        p.queue.add(new SnapshotProgress.Request("public.later", 1, 2, 0));
        metrics.publish(p, Map.of("public.done", 480L, hostile, 1000L));

        JsonNode tables =
                new ObjectMapper().readTree((String) value(group, SnapshotMetrics.TABLES));
        assertThat(tables).hasSize(3);
        assertThat(tables.get(0).path("state").asText()).isEqualTo("done");
        assertThat(tables.get(0).path("estimate").asLong())
                .as("a done table's count replaces its estimate")
                .isEqualTo(500);
        assertThat(tables.get(1).path("table").asText()).isEqualTo(hostile);
        assertThat(tables.get(1).path("state").asText()).isEqualTo("reading");
        assertThat(tables.get(1).path("chunksEstimate").asLong())
                .as("1,000 rows in windows of 300")
                .isEqualTo(4);
        assertThat(tables.get(2).path("state").asText()).isEqualTo("waiting");
        assertThat(tables.get(2).path("estimate").asLong()).isEqualTo(-1);
        assertThat((Long) value(group, "snapshotTablesDone")).isEqualTo(1);
        assertThat((Long) value(group, "snapshotTablesTotal")).isEqualTo(3);
        assertThat((Long) value(group, "snapshotRowsDone")).isEqualTo(750);
        assertThat((Long) value(group, "snapshotRowsEstimated")).isEqualTo(1500);
        assertThat((Long) value(group, "snapshotEtaSeconds"))
                .as("no rate measured yet")
                .isEqualTo(-1);
    }
}
