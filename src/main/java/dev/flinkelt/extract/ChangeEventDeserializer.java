package dev.flinkelt.extract;

import dev.flinkelt.pg.TableSchema;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cdc.debezium.DebeziumDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns Debezium change records into {@link ChangeEvent}s that carry the record's own columns: a
 * column added, dropped or renamed in the source shows up as a new layout (Debezium builds a new
 * row schema from the relation message that follows a DDL), and the values are mapped onto the raw
 * table later, by name.
 */
public class ChangeEventDeserializer implements DebeziumDeserializationSchema<ChangeEvent> {
    private static final long serialVersionUID = 1L;

    /** What Debezium sends instead of an unchanged TOASTed value (its default placeholder). */
    public static final String UNAVAILABLE = "__debezium_unavailable_value";

    private static final byte[] UNAVAILABLE_BYTES = UNAVAILABLE.getBytes(StandardCharsets.UTF_8);
    static final char KEY_SEPARATOR = '\u0000';

    /**
     * Appended to the table name for a TRUNCATE's key: no row key has it (row keys go on with
     * KEY_SEPARATOR).
     */
    static final String TRUNCATE_KEY = "\u0001truncate";

    private final Map<String, TableSchema> tables = new HashMap<>();
    private final long snapshotLsn;

    /**
     * The last row layout seen per table; rebuilt only when Debezium hands over a new row schema.
     */
    private transient Map<String, Layout> layouts;

    /** A row schema's column names and key positions, numbered per table in the order met. */
    private record Layout(
            Schema schema, String[] columns, String[] types, int[] keys, int number) {}

    /**
     * {@code snapshotLsn}: the source's WAL position when the snapshot started, given to snapshot
     * rows.
     */
    public ChangeEventDeserializer(List<TableSchema> schemas, long snapshotLsn) {
        this.snapshotLsn = snapshotLsn;
        for (TableSchema s : schemas) {
            tables.put(s.ref().dotted(), s);
        }
    }

    @Override
    public void deserialize(SourceRecord record, Collector<ChangeEvent> out) {
        Schema valueSchema = record.valueSchema();
        if (valueSchema == null
                || valueSchema.name() == null
                || !valueSchema.name().endsWith(".Envelope")) {
            return; // heartbeats, watermarks, schema changes: not row changes
        }
        Struct value = (Struct) record.value();
        Struct source = value.getStruct("source");
        String name = source.getString("schema") + "." + source.getString("table");
        // a table captured after the build (see track.Discovery) is keyed downstream; its rows up
        // to the capture come
        // from its own snapshot there, so initial-snapshot rows of a table created while the job
        // was starting are not used
        TableSchema table = tables.get(name);
        char op = value.getString("op").charAt(0);
        if (table == null && op == ChangeEvent.READ) {
            return;
        }
        ChangeEvent e = new ChangeEvent();
        e.table = name;
        e.op = op;
        if (op == ChangeEvent.TRUNCATE) {
            e.values = new String[0]; // mapped already: no column to map
            e.key = truncateKey(name);
            position(e, source);
            out.collect(e);
            return;
        }
        Struct row =
                op == ChangeEvent.DELETE ? value.getStruct("before") : value.getStruct("after");
        if (row == null) {
            return;
        }
        Layout layout = layout(name, table, row.schema());
        e.columns = layout.columns();
        e.types = layout.types();
        e.layout = layout.number();
        e.values = new String[layout.columns().length];
        // without REPLICA IDENTITY FULL a delete carries only the key; Debezium fills NOT NULL
        // columns with
        // made-up defaults ("" or 0), which must not be written as the deleted row's values
        boolean keyOnly = op == ChangeEvent.DELETE && table != null && !table.replicaIdentityFull();
        List<Field> fields = row.schema().fields();
        for (int i = 0; i < e.values.length; i++) {
            if (keyOnly && !contains(layout.keys(), i)) {
                continue;
            }
            Field f = fields.get(i);
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
        e.key = table == null ? null : key(e.table, layout.keys(), e.values, layout.types());
        position(e, source);
        out.collect(e);
    }

    /** Position, transaction and commit time from Debezium's source block. */
    private void position(ChangeEvent e, Struct source) {
        char op = e.op;
        Long lsn = source.getInt64("lsn");
        // plain snapshot rows carry LSN 0; rows merged with a change read during the snapshot carry
        // that change's LSN
        e.lsn = lsn == null || lsn == 0L ? snapshotLsn : lsn;
        boolean snapshot = op == ChangeEvent.READ;
        Long txId = source.getInt64("txId");
        e.txId = snapshot || txId == null ? ChangeEvent.NONE : txId;
        Long ts = source.getInt64("ts_ms");
        e.sourceTsMicros = snapshot || ts == null ? ChangeEvent.NONE : ts * 1_000L;
    }

    private Layout layout(String name, TableSchema table, Schema rowSchema) {
        if (layouts == null) {
            layouts = new HashMap<>();
        }
        Layout known = layouts.get(name);
        if (known != null && known.schema() == rowSchema) {
            return known;
        }
        String[] columns = rowSchema.fields().stream().map(Field::name).toArray(String[]::new);
        String[] types =
                rowSchema.fields().stream()
                        .map(f -> TypeNames.of(f.schema()))
                        .toArray(String[]::new);
        // the key is looked up by name: a key column missing from the row (a changed primary key)
        // keys as NULL
        List<String> keyColumns = table == null ? List.of() : table.keyColumns();
        Layout l =
                new Layout(
                        rowSchema,
                        columns,
                        types,
                        keyPositions(columns, keyColumns),
                        known == null ? 1 : known.number() + 1);
        layouts.put(name, l);
        return l;
    }

    /** Where each key column is among a row's {@code columns} (-1: missing, keyed as NULL). */
    public static int[] keyPositions(String[] columns, List<String> keyColumns) {
        List<String> names = List.of(columns);
        return keyColumns.stream().mapToInt(names::indexOf).toArray();
    }

    /**
     * Nulls every value but the key's: what a delete without full replica identity really carries.
     */
    public static void keepKeyOnly(int[] keys, String[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!contains(keys, i)) {
                values[i] = null;
            }
        }
    }

    private static boolean contains(int[] xs, int x) {
        for (int v : xs) {
            if (v == x) {
                return true;
            }
        }
        return false;
    }

    /**
     * The key of a TRUNCATE of {@code table}: apart from every row key, the same for every TRUNCATE
     * of the table.
     */
    public static String truncateKey(String table) {
        return table + TRUNCATE_KEY;
    }

    public static String key(String table, int[] keys, String[] values, String[] types) {
        StringBuilder sb = new StringBuilder(table);
        for (int i : keys) {
            // one text per value whichever reader read it (see KeyText)
            sb.append(KEY_SEPARATOR)
                    .append(i < 0 ? null : KeyText.of(types == null ? null : types[i], values[i]));
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
            return b.remaining() == UNAVAILABLE_BYTES.length
                    && ByteBuffer.wrap(UNAVAILABLE_BYTES).equals(b);
        }
        if (v instanceof List<?> l) {
            return l.size() == 1 && isUnavailable(l.get(0));
        }
        return false;
    }

    @Override
    public TypeInformation<ChangeEvent> getProducedType() {
        return ChangeEventType.INSTANCE;
    }
}
