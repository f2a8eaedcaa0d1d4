package dev.flinkelt.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which contenders a bench invocation runs, and from which build. */
class BenchOptionsTest {
    private static final Path OLD = Path.of("old.jar");

    @Test
    void variantsWithSeveralSnapshotReadersRunOnlyWhenNamed() {
        assertThat(BenchOptions.contenderLabels())
                .contains("flink-elt-p2-cp10s")
                .doesNotContain("flink-elt-p2-cp10s-r2", "flink-elt-p2-cp10s-r4");
        List<Contender> all =
                BenchOptions.contenders(
                        List.of("flink-elt-p2-cp10s", "flink-elt-p2-cp10s-r2"), null, null);
        assertThat(BenchOptions.streaming(all, null))
                .extracting(Contender::label)
                .containsExactly("flink-elt-p2-cp10s");
    }

    @Test
    void aBaselineBuildNeverGetsTheSnapshotReadersSetting() {
        assertThat(
                        BenchOptions.contenders(
                                List.of("flink-elt-p2-cp10s", "flink-elt-p2-cp10s-r2"), OLD, null))
                .extracting(Contender::label)
                .containsExactly(
                        "flink-elt-p2-cp10s", "flink-elt-p2-cp10s-r2", "baseline-p2-cp10s");
        assertThatThrownBy(
                        () ->
                                BenchOptions.contenders(
                                        List.of("flink-elt-p2-cp10s-r2"),
                                        OLD,
                                        List.of("flink-elt-p2-cp10s-r2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sets snapshot-readers");
    }
}
