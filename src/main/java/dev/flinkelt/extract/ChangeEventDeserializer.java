package dev.flinkelt.extract;

import dev.flinkelt.catalog.TableSchema;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cdc.debezium.DebeziumDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/** Turns Debezium change records into {@link ChangeEvent}s in the column order read from the source catalog. */
public class ChangeEventDeserializer implements DebeziumDeserializationSchema<ChangeEvent> {
    private static final long serialVersionUID = 1L;
    /** What Debezium sends instead of an unchanged TOASTed value (its default placeholder). */
    public static final String UNAVAILABLE = "__debezium_unavailable_value";
    private static final byte[] UNAVAILABLE_BYTES = UNAVAILABLE.getBytes(StandardCharsets.UTF_8);
    static final char KEY_SEPARATOR = '\u0000';

    private final Map<String, TableSchema> tables = new HashMap<>();
    /** Key column positions per table, computed once rather than for every record. */
    private final Map<String, int[]> keyPositions = new HashMap<>();

    private final long snapshotLsn;

    /** {@code snapshotLsn}: the source's WAL position when the snapshot started, given to snapshot rows. */
    public ChangeEventDeserializer(List<TableSchema> schemas, long snapshotLsn) {
        this.snapshotLsn = snapshotLsn;
        for (TableSchema s : schemas) {
            tables.put(s.ref().dotted(), s);
            keyPositions.put(s.ref().dotted(), s.keyIndexes());
        }
    }

    @Override
    public void deserialize(SourceRecord record, Collector<ChangeEvent> out) {
        Schema valueSchema = record.valueSchema();
        if (valueSchema == null || valueSchema.name() == null || !valueSchema.name().endsWith(".Envelope")) {
            return; // heartbeats, watermarks, schema changes: not row changes
        }
        Struct value = (Struct) record.value();
        Struct source = value.getStruct("source");
        TableSchema table = tables.get(source.getString("schema") + "." + source.getString("table"));
        if (table == null) {
            return;
        }
        char op = value.getString("op").charAt(0);
        Struct row = op == ChangeEvent.DELETE ? value.getStruct("before") : value.getStruct("after");
        if (row == null) {
            return;
        }
        ChangeEvent e = new ChangeEvent();
        e.table = table.ref().dotted();
        e.op = op;
        e.values = new String[table.columns().size()];
        // without REPLICA IDENTITY FULL a delete carries only the key; Debezium fills NOT NULL columns with
        // made-up defaults ("" or 0), which must not be written as the deleted row's values
        boolean keyOnly = op == ChangeEvent.DELETE && !table.replicaIdentityFull();
        int[] keys = keyPositions.get(e.table);
        for (int i = 0; i < e.values.length; i++) {
            if (keyOnly && !contains(keys, i)) {
                continue;
            }
            Field f = row.schema().field(table.columns().get(i).name());
            if (f == null) {
                continue;
            }
            Object v = row.get(f);
            if (op != ChangeEvent.DELETE && isUnavailable(v)) {
                if (e.unchanged == null) {
                    e.unchanged = new boolean[e.values.length];
                }
                e.unchanged[i] = true;
                continue;
            }
            e.values[i] = PgText.of(f.schema(), v);
        }
        e.key = key(e.table, keys, e.values);
        Long lsn = source.getInt64("lsn");
        // plain snapshot rows carry LSN 0; rows merged with a change read during the snapshot carry that change's LSN
        e.lsn = lsn == null || lsn == 0L ? snapshotLsn : lsn;
        boolean snapshot = op == ChangeEvent.READ;
        Long txId = source.getInt64("txId");
        e.txId = snapshot || txId == null ? ChangeEvent.NONE : txId;
        Long ts = source.getInt64("ts_ms");
        e.sourceTsMicros = snapshot || ts == null ? ChangeEvent.NONE : ts * 1_000L;
        out.collect(e);
    }

    private static boolean contains(int[] xs, int x) {
        for (int v : xs) {
            if (v == x) {
                return true;
            }
        }
        return false;
    }

    static String key(String table, int[] keys, String[] values) {
        StringBuilder sb = new StringBuilder(table);
        for (int i : keys) {
            sb.append(KEY_SEPARATOR).append(values[i]);
        }
        return sb.toString();
    }

    static boolean isUnavailable(Object v) {
        if (v instanceof String s) {
            return UNAVAILABLE.equals(s);
        }
        if (v instanceof byte[] b) {
            return Arrays.equals(b, UNAVAILABLE_BYTES);
        }
        if (v instanceof ByteBuffer b) {
            return b.remaining() == UNAVAILABLE_BYTES.length && ByteBuffer.wrap(UNAVAILABLE_BYTES).equals(b);
        }
        if (v instanceof List<?> l) {
            return l.size() == 1 && isUnavailable(l.get(0));
        }
        return false;
    }

    @Override
    public TypeInformation<ChangeEvent> getProducedType() {
        return TypeInformation.of(ChangeEvent.class);
    }
}
