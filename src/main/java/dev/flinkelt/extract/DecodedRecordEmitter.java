package dev.flinkelt.extract;

import dev.flinkelt.extract.pgoutput.StreamPosition;

import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.cdc.connectors.base.source.meta.offset.OffsetFactory;
import org.apache.flink.cdc.connectors.base.source.meta.split.SourceRecords;
import org.apache.flink.cdc.connectors.base.source.meta.split.SourceSplitState;
import org.apache.flink.cdc.connectors.base.source.metrics.SourceReaderMetrics;
import org.apache.flink.cdc.connectors.base.source.reader.IncrementalSourceRecordEmitter;
import org.apache.flink.cdc.debezium.DebeziumDeserializationSchema;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Emits decoded changes as they are and keeps the stream split's offset at the position after the
 * last one. The reader checkpoints between batches, so the offset is set once per batch.
 */
final class DecodedRecordEmitter extends IncrementalSourceRecordEmitter<ChangeEvent> {

    DecodedRecordEmitter(
            DebeziumDeserializationSchema<ChangeEvent> deserializer,
            SourceReaderMetrics metrics,
            OffsetFactory offsets) {
        super(deserializer, metrics, false, offsets);
    }

    @Override
    public void emitRecord(
            SourceRecords records, SourceOutput<ChangeEvent> output, SourceSplitState state)
            throws Exception {
        StreamPosition last = null;
        for (SourceRecord r : records.getSourceRecordList()) {
            if (r instanceof DecodedRecord d) {
                if (d.event != null) {
                    output.collect(d.event);
                }
                last = d.position;
            } else {
                processElement(r, output, state);
            }
        }
        if (last != null && state.isStreamSplitState()) {
            state.asStreamSplitState().setStartingOffset(offsetFactory.newOffset(last.toOffset()));
        }
    }
}
