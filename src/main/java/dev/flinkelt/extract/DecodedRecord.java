package dev.flinkelt.extract;

import dev.flinkelt.extract.pgoutput.StreamPosition;

import org.apache.kafka.connect.source.SourceRecord;

import java.util.Map;

/**
 * What the stream task hands the Flink CDC reader: a decoded change (or none: a heartbeat that only
 * moves the position) and the stream's position once it is emitted. It is a {@link SourceRecord}
 * only because the framework's queue carries those; no Kafka Connect schema or struct is made.
 */
final class DecodedRecord extends SourceRecord {
    final ChangeEvent event;
    final StreamPosition position;

    DecodedRecord(ChangeEvent event, StreamPosition position) {
        super(Map.of(), Map.of(), "flink-elt", null, null, null);
        this.event = event;
        this.position = position;
    }
}
