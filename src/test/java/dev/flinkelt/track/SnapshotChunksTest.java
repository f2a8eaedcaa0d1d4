package dev.flinkelt.track;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotChunksTest {
    @Test
    void chunksHoldAboutSixteenMegabytesOfRowsWithinBounds() {
        assertThat(SnapshotChunks.forRowWidth(130))
                .as("narrow rows: the largest chunk")
                .isEqualTo(65_536);
        assertThat(SnapshotChunks.forRowWidth(1024)).isEqualTo(16_384);
        assertThat(SnapshotChunks.forRowWidth(4096)).isEqualTo(4_096);
        assertThat(SnapshotChunks.forRowWidth(1_000_000))
                .as("very wide rows: the smallest chunk")
                .isEqualTo(1_024);
        assertThat(SnapshotChunks.forRowWidth(0))
                .as("empty table: nothing to size by")
                .isEqualTo(65_536);
    }
}
