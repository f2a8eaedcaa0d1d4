package dev.flinkelt.load.sink;

import dev.flinkelt.config.PipelineConfig;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TransactionNameTest {
    static PipelineConfig config(String database, String rawSchema, String slot) {
        return PipelineConfig.parse(
                String.join(
                        "\n",
                        "source:",
                        "  url: jdbc:postgresql://src:5432/shop",
                        "  username: u",
                        "  tables: [public.t]",
                        "  slot: " + slot,
                        "target:",
                        "  url: jdbc:postgresql://wh:5432/" + database,
                        "  username: u",
                        "  raw-schema: " + rawSchema),
                Map.of());
    }

    @Test
    void aGidRoundTripsAndFitsPostgreSQLsLimit() {
        String pipeline = TransactionName.pipelineOf(config("warehouse", "raw", "a".repeat(56)));
        TransactionName t = new TransactionName(pipeline, 3, Long.MAX_VALUE, "0a1b2c3d");
        assertThat(TransactionName.parse(t.gid())).contains(t);
        assertThat(t.gid().length())
                .as("PREPARE TRANSACTION takes at most 200 bytes")
                .isLessThan(200);
        assertThat(t.gid()).startsWith("flink-elt:" + "a".repeat(56) + ":");
    }

    @Test
    void pipelinesDifferByWarehouseDatabaseRawSchemaAndSlot() {
        String base = TransactionName.pipelineOf(config("wh", "raw", "shop"));
        assertThat(TransactionName.pipelineOf(config("wh", "raw", "shop"))).isEqualTo(base);
        assertThat(TransactionName.pipelineOf(config("wh", "raw_b", "shop"))).isNotEqualTo(base);
        assertThat(TransactionName.pipelineOf(config("wh2", "raw", "shop"))).isNotEqualTo(base);
        assertThat(TransactionName.pipelineOf(config("wh", "raw", "shop2"))).isNotEqualTo(base);
    }

    @Test
    void otherGidsAreNotOurs() {
        assertThat(TransactionName.parse("202_AAAA_BBBB"))
                .isEmpty(); // flink-connector-jdbc's XA form
        assertThat(TransactionName.parse("flink-elt:slot:abcd:x:1:r")).isEmpty();
        assertThat(TransactionName.parse("flink-elt:slot:abcd:1:2")).isEmpty();
        assertThat(TransactionName.parse("other:slot:abcd:1:2:r")).isEmpty();
    }
}
