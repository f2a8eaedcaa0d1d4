package dev.flinkelt.schema;

import dev.flinkelt.extract.ChangeEvent;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Maps each row layout onto its raw table's columns (once per layout, from the catalogs) and keeps
 * the warehouse's enums up to date with labels added in the source. It changes no table: a layout
 * that needs DDL leaves unmapped (with its column names) and the keyed stage, which can hold a
 * table's rows, makes the DDL.
 */
public final class ColumnMapper implements AutoCloseable {
    /** How long a layout that needs DDL goes out unmapped before the catalogs are read again. */
    private static final long RECHECK_MILLIS = 1_000;

    private final SchemaChanges changes;

    /** Per table and layout number: the mapping, or (as a Long) when to look again. */
    private final Map<String, Map<Integer, Object>> known = new HashMap<>();

    public ColumnMapper(SchemaTarget target, String role) {
        this.changes = new SchemaChanges(target, role);
    }

    /** Maps {@code e} in place when its layout fits the raw table; otherwise leaves it unmapped. */
    public void map(ChangeEvent e) throws SQLException {
        if (!e.unmapped()) {
            return;
        }
        Map<Integer, Object> layouts = known.computeIfAbsent(e.table, t -> new HashMap<>());
        Object k = layouts.get(e.layout);
        long now = System.currentTimeMillis();
        if (k == null || (k instanceof Long retryAt && now >= retryAt)) {
            Mapping m = changes.mapping(e.table, e.columns, e.types, e.lsn);
            k = m != null ? m : (Object) (now + RECHECK_MILLIS);
            layouts.put(e.layout, k);
        }
        if (k instanceof Mapping m && e.values == null && m.plain()) {
            // a snapshot row's COPY text, loaded as it is: only marked mapped
            e.columns = null;
            e.types = null;
            e.layout = 0;
            return;
        }
        e.decodeCopyText();
        if (k instanceof Mapping m && !m.casts()) {
            m.apply(e);
            changes.finish(m, e);
        }
        // a layout older than its raw columns' types (replayed after a restore, say) goes to the
        // keyed stage unmapped: it converts the values there, and a row it holds then leaves in its
        // layout's own types (see RawLayouts#reconvert)
    }

    @Override
    public void close() throws SQLException {
        changes.close();
    }
}
