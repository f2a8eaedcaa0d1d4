package dev.flinkelt.transform;

import dev.flinkelt.catalog.TableSchema;
import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.extract.ChangeEventDeserializer;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cdc.debezium.DebeziumDeserializationSchema;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Raw-table change records to rows of text: the extract-load deserializer's exact text, as table rows. */
final class RawRowDeserializer implements DebeziumDeserializationSchema<RowData> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RawRowDeserializer.class);

    private final ChangeEventDeserializer changes;
    private final TableSchema full;
    private final TypeInformation<RowData> type;
    private transient RawRows rows;
    private transient String[] lastLayout;
    private transient int[] positions;
    private transient int opIndex;

    RawRowDeserializer(TableSchema full, TypeInformation<RowData> type) {
        this.changes = new ChangeEventDeserializer(List.of(full), 0L);
        this.full = full;
        this.type = type;
    }

    /** The event's values in the order of {@code full}'s columns, found by name (a column it lacks is NULL). */
    private String[] inTableOrder(ChangeEvent e) {
        if (e.columns != lastLayout) {
            lastLayout = e.columns;
            positions = full.columns().stream().mapToInt(c -> List.of(e.columns).indexOf(c.name())).toArray();
            opIndex = full.columnIndex("_op");
        }
        String[] values = new String[positions.length];
        for (int i = 0; i < positions.length; i++) {
            values[i] = positions[i] < 0 ? null : e.values[positions[i]];
        }
        return values;
    }

    @Override
    public void deserialize(SourceRecord record, Collector<RowData> out) {
        if (rows == null) {
            rows = new RawRows(full);
        }
        changes.deserialize(record, new Collector<>() {
            @Override
            public void collect(ChangeEvent e) {
                if (e.op == ChangeEvent.READ || e.op == ChangeEvent.INSERT) {
                    String[] row = inTableOrder(e);
                    if (!"t".equals(row[opIndex])) { // TRUNCATE rows are not versions of a key
                        out.collect(rows.row(row));
                    }
                } else {
                    // raw tables are append-only; a change to a raw row was made by hand and is not replayed
                    LOG.warn("ignoring '{}' on raw table {}: raw tables are append-only", e.op, full.ref());
                }
            }

            @Override
            public void close() {}
        });
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return type;
    }
}
