package dev.flinkelt.monitor;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StatusReportTest {
    @Test
    void eachTableGetsABarAndTheSummaryCountsDoneTablesAndRows() throws Exception {
        // as track.SnapshotMetrics publishes it, with a hostile name (quotes, backslash, newline)
        String json =
                "[{\"table\":\"public.done\",\"rows\":500,\"estimate\":480,\"chunks\":1,\"state\":\"done\"},"
                        + "{\"table\":\"public.\\\"big\\\\one\\n\\\"\",\"rows\":250000,\"estimate\":1000000,\"chunks\":4,\"chunksEstimate\":16,\"state\":\"reading\"},"
                        + "{\"table\":\"public.later\",\"rows\":0,\"estimate\":-1,\"chunks\":0,\"state\":\"waiting\"}]";
        List<String> lines =
                StatusReport.snapshot(
                        Map.of(
                                0,
                                Map.of("snapshotTables", "[]"),
                                1,
                                Map.of(
                                        "snapshotTables",
                                        json,
                                        "snapshotRowsPerSecond",
                                        "50000.0",
                                        "snapshotEtaSeconds",
                                        "15")));
        assertThat(lines.get(0))
                .isEqualTo(
                        "snapshot:   1 of 3 table(s) done, 250,500 of ~1,000,500 rows, 50,000 rows/s, ETA 15 s");
        assertThat(lines.get(1))
                .contains("public.done")
                .contains("[" + "#".repeat(24) + "] 100%  500 / 500 rows, 1 chunk(s), done");
        assertThat(lines.get(2))
                .contains("public.\"big\\one\n\"")
                .contains(
                        "["
                                + "#".repeat(6)
                                + "-".repeat(18)
                                + "]  25%  250,000 / ~1,000,000 rows, 4 of ~16 chunk(s), reading");
        assertThat(lines.get(3))
                .contains("[" + "-".repeat(24) + "]   0%  0 / ? rows, 0 chunk(s), waiting");
    }

    @Test
    void aJobRestoredAfterItsSnapshotSaysSo() throws Exception {
        assertThat(StatusReport.snapshot(Map.of(0, Map.of("snapshotTables", "[]"))))
                .singleElement()
                .asString()
                .contains("no table read in this run");
    }

    @Test
    void sizesAndDurationsReadEasily() {
        assertThat(StatusReport.bytes(-1)).isEqualTo("unknown");
        assertThat(StatusReport.bytes(1536)).isEqualTo("1.5 KB");
        assertThat(StatusReport.duration(3725)).isEqualTo("1 h 02 min");
        assertThat(StatusReport.duration(59)).isEqualTo("59 s");
    }

    @Test
    void freshnessListsTheStalestTablesFirstAndSaysHowManyMore() {
        assertThat(
                        StatusReport.freshness(
                                Map.of(
                                        "public.a",
                                        0.4,
                                        "public.b",
                                        4000.0,
                                        "public.c",
                                        12.25,
                                        "public.d",
                                        Double.NaN),
                                3))
                .containsExactly(
                        "freshness:  newest change visible in raw, per table (stalest first; an idle table's grows"
                                + " too: behind only if the slot lag grows)",
                        "  public.b 1 h 06 min ago",
                        "  public.c 12.3 s ago",
                        "  public.a 0.4 s ago",
                        "  ... and 1 more table(s)");
        assertThat(StatusReport.freshness(Map.of(), 20))
                .containsExactly("freshness:  no change visible in raw in this run of the job yet");
    }

    @Test
    void horizonSaysHowLongItIsHeldAndByWhat() {
        assertThat(StatusReport.horizon(0, List.of()))
                .containsExactly(
                        "horizon:    no transaction open on the warehouse (the transform reads every committed raw row)");
        assertThat(
                        StatusReport.horizon(
                                125, List.of("the transaction of session 42 (psql, open 125 s)")))
                .containsExactly(
                        "horizon:    the oldest transaction open on the warehouse began 2 min 05 s ago; the transform reads raw rows loaded before it",
                        "  held by the transaction of session 42 (psql, open 125 s)");
    }
}
