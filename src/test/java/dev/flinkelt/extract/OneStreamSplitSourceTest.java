package dev.flinkelt.extract;

import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.cdc.connectors.base.source.assigner.state.PendingSplitsState;
import org.apache.flink.cdc.connectors.base.source.meta.split.SourceSplitBase;
import org.apache.flink.cdc.connectors.base.source.meta.split.StreamSplit;
import org.junit.jupiter.api.Test;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OneStreamSplitSourceTest {
    /** Records what reaches the wrapped enumerator. */
    static final class Recording implements SplitEnumerator<SourceSplitBase, PendingSplitsState> {
        final List<String> calls = new ArrayList<>();

        @Override
        public void start() {}

        @Override
        public void handleSplitRequest(int subtaskId, @Nullable String host) {
            calls.add("request " + subtaskId);
        }

        @Override
        public void addSplitsBack(List<SourceSplitBase> splits, int subtaskId) {
            calls.add("back " + splits.size() + " " + subtaskId);
        }

        @Override
        public void addReader(int subtaskId) {
            calls.add("reader " + subtaskId);
        }

        @Override
        public PendingSplitsState snapshotState(long checkpointId) {
            return null;
        }

        @Override
        public void close() {}
    }

    @Test
    void aSubtaskResetWithNoSplitsDoesNotMakeTheEnumeratorCreateASecondStreamSplit() {
        Recording inner = new Recording();
        OneStreamSplitSource.Enumerator e = new OneStreamSplitSource.Enumerator(inner);
        e.addSplitsBack(
                List.of(),
                1); // what Flink sends for every subtask reset to a checkpoint that holds the split
        e.handleSplitRequest(1, "host");
        e.addReader(1);
        e.addSplitsBack(
                List.of(
                        new StreamSplit(
                                "stream-split", null, null, new ArrayList<>(), new HashMap<>(), 0)),
                0);
        assertThat(inner.calls).containsExactly("request 1", "reader 1", "back 1 0");
    }
}
