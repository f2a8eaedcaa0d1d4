package dev.flinkelt.load.sink;

import dev.flinkelt.extract.ChangeEvent;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LoadMetricsTest {
    /** Keeps what is registered by its path: {@code table=x/op=c/rowsLoaded}. */
    static final class Captured extends UnregisteredMetricsGroup {
        final Map<String, Metric> metrics;
        final String path;

        Captured(Map<String, Metric> metrics, String path) {
            this.metrics = metrics;
            this.path = path;
        }

        @Override
        public <C extends Counter> C counter(String name, C counter) {
            metrics.put(path + name, counter);
            return counter;
        }

        @Override
        public Counter counter(String name) {
            return counter(name, new org.apache.flink.metrics.SimpleCounter());
        }

        @Override
        public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
            metrics.put(path + name, gauge);
            return gauge;
        }

        @Override
        public <H extends Histogram> H histogram(String name, H histogram) {
            metrics.put(path + name, histogram);
            return histogram;
        }

        @Override
        public MetricGroup addGroup(String key, String value) {
            return new Captured(metrics, path + key + "=" + value + "/");
        }
    }

    static ChangeEvent event(String table, char op, long sourceTsMicros) {
        ChangeEvent e = new ChangeEvent();
        e.table = table;
        e.op = op;
        e.sourceTsMicros = sourceTsMicros;
        return e;
    }

    static long count(Map<String, Metric> m, String path) {
        return ((Counter) m.get(path)).getCount();
    }

    @Test
    void rowsAreCountedByTableAndOpWhenVisibleAndFreshnessIsTheNewestChangesAge() throws Exception {
        long now = System.currentTimeMillis();
        long t0 = (now - 3_000) * 1000; // 3 s ago, in microseconds
        LoadedRows tx = new LoadedRows();
        List<ChangeEvent> rows =
                List.of(
                        event("public.a", ChangeEvent.READ, t0 - 60_000_000L),
                        event("public.a", ChangeEvent.INSERT, t0),
                        event("public.a", ChangeEvent.UPDATE, t0 - 1_000_000L),
                        event("public.b", ChangeEvent.DELETE, t0 - 2_000_000L),
                        event("public.b", ChangeEvent.TRUNCATE, t0 - 2_000_000L));
        tx.loaded(rows, 0, rows.size());
        tx.quarantined("public.b");
        // through the committable's bytes, as a restored checkpoint hands it over
        LoadedRows back =
                PreparedTransaction.SERIALIZER
                        .deserialize(
                                2,
                                PreparedTransaction.SERIALIZER.serialize(
                                        new PreparedTransaction("gid-1", tx)))
                        .loaded();

        Map<String, Metric> m = new HashMap<>();
        LoadMetrics metrics = new LoadMetrics(new Captured(m, ""), List.of("public.a", "public.z"));
        assertThat(count(m, "table=public.z/rowsQuarantined"))
                .as("a table known at start is there before its first row")
                .isZero();
        assertThat((Double) ((Gauge<?>) m.get("table=public.z/freshnessSeconds")).getValue())
                .isNaN();
        metrics.visible(back, now);

        assertThat(count(m, "table=public.a/op=r/rowsLoaded")).isEqualTo(1);
        assertThat(count(m, "table=public.a/op=c/rowsLoaded")).isEqualTo(1);
        assertThat(count(m, "table=public.a/op=u/rowsLoaded")).isEqualTo(1);
        assertThat(m)
                .as("no series for an _op not seen")
                .doesNotContainKey("table=public.a/op=d/rowsLoaded");
        assertThat(count(m, "table=public.b/op=d/rowsLoaded")).isEqualTo(1);
        assertThat(count(m, "table=public.b/op=t/rowsLoaded")).isEqualTo(1);
        assertThat(count(m, "table=public.b/rowsQuarantined")).isEqualTo(1);
        assertThat(count(m, "table=public.a/rowsQuarantined")).isZero();
        double freshness =
                (Double) ((Gauge<?>) m.get("table=public.a/freshnessSeconds")).getValue();
        assertThat(freshness).as("the newest change, 3 s ago").isCloseTo(3.0, within(1.0));

        Histogram latency = (Histogram) m.get("visibleLatencyMillis");
        assertThat(latency.getCount())
                .as("streamed changes only, not the snapshot row")
                .isEqualTo(4);
        assertThat(latency.getStatistics().getMin()).isCloseTo(3_000L, within(150L));
        assertThat(latency.getStatistics().getMax()).isCloseTo(5_000L, within(150L));

        // a second transaction adds up; latency keeps the newest 10,000 changes only
        LoadedRows big = new LoadedRows();
        List<ChangeEvent> many = new java.util.ArrayList<>();
        for (int i = 0; i < 12_000; i++) {
            many.add(event("public.a", ChangeEvent.INSERT, t0 - (i < 2_000 ? 60_000_000L : 0)));
        }
        big.loaded(many, 0, many.size());
        metrics.visible(big, now);
        assertThat(count(m, "table=public.a/op=c/rowsLoaded")).isEqualTo(12_001);
        assertThat(latency.getCount()).isEqualTo(4 + 10_000);
        assertThat(latency.getStatistics().getMax())
                .as("the 2,000 oldest were skipped")
                .isCloseTo(3_000L, within(150L));
    }

    @Test
    void aCommittableOfTheEarlierFormatCountsNothing() throws Exception {
        PreparedTransaction t =
                PreparedTransaction.SERIALIZER.deserialize(1, "flink-elt-x-0-1".getBytes());
        assertThat(t.gid()).isEqualTo("flink-elt-x-0-1");
        assertThat(t.loaded().isEmpty()).isTrue();
    }
}
