package dev.flinkelt.monitor;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusTextTest {
    @Test
    void samplesWithAndWithoutLabelsEscapesAndSpecialValues() {
        List<PrometheusText.Sample> s =
                PrometheusText.parse(
                        String.join(
                                "\n",
                                "# HELP up whether it is up",
                                "# TYPE up gauge",
                                "up 1.0",
                                "f{table=\"public.\\\"Odd, name\\\"\",op=\"c\",} 12.5",
                                "g{t=\"a\\\\b\\nc\"} NaN",
                                "h{q=\"0.99\"} +Inf 1700000000000",
                                ""));
        assertThat(s)
                .containsExactly(
                        new PrometheusText.Sample("up", Map.of(), 1.0),
                        new PrometheusText.Sample(
                                "f", Map.of("table", "public.\"Odd, name\"", "op", "c"), 12.5),
                        new PrometheusText.Sample("g", Map.of("t", "a\\b\nc"), Double.NaN),
                        new PrometheusText.Sample(
                                "h", Map.of("q", "0.99"), Double.POSITIVE_INFINITY));
    }
}
