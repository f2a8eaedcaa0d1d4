package dev.flinkelt.load.sink;

import dev.flinkelt.config.ConfigException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.flinkelt.load.sink.TransactionNameTest.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What TransactionNameTest leaves out: the slots a config can hold, the gids parse must not take
 * for ours.
 */
class TransactionNameRoundTripTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "_",
                "a",
                "flink_elt",
                "_0",
                "a1_b2_c3",
                "slot_with_many_underscores__",
                "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
            }) // the longest the config accepts (56)
    void everySlotTheConfigAcceptsGivesGidsThatParseBackExactly(String slot) {
        String pipeline = TransactionName.pipelineOf(config("warehouse", "raw", slot));
        for (int subtask : new int[] {0, 1, Integer.MAX_VALUE}) {
            for (long checkpoint : new long[] {0, 1, Long.MAX_VALUE}) {
                TransactionName t = new TransactionName(pipeline, subtask, checkpoint, "0a1b2c3d");
                assertThat(TransactionName.parse(t.gid())).contains(t);
                assertThat(t.gid().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .hasSizeLessThan(200);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a:b", "Upper", "a-b", "a b", "a'b", "ä", "1abc", "a.b"})
    void aSlotThatCouldBreakTheGidFormatIsRefusedByTheConfig(String slot) {
        // the gid's fields are split on ':' and the slot is the first of them; only
        // [a-z_][a-z0-9_]* may get there
        assertThatThrownBy(() -> config("warehouse", "raw", slot))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.slot");
    }

    @Test
    void thePipelinePartStaysTheSameAcrossVersions() {
        // a client of a newer version must find the strays an older one left: the hash is part of
        // the on-disk
        // contract (SHA-256 of database, raw schema and slot, NUL-separated, first 4 bytes as hex)
        assertThat(TransactionName.pipelineOf(config("warehouse", "raw", "flink_elt")))
                .isEqualTo("flink_elt:5220b9b5");
    }

    @Test
    void gidsThatOnlyLookLikeOursAreNotParsed() {
        List<String> foreign =
                List.of(
                        "",
                        "flink-elt",
                        "FLINK-ELT:slot:abcd:1:2:r",
                        " flink-elt:slot:abcd:1:2:r",
                        "flink-elt:slot:abcd:1:2:r:extra",
                        "flink-elt:slot:abcd::2:r",
                        "flink-elt:slot:abcd:1::r",
                        "flink-elt:slot:abcd:99999999999:2:r",
                        "flink-elt:slot:abcd:1:99999999999999999999:r",
                        "flink-elt:slot:abcd:1.0:2:r");
        for (String gid : foreign) {
            assertThat(TransactionName.parse(gid)).as("gid '%s'", gid).isEmpty();
        }
    }
}
