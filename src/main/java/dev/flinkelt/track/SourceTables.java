package dev.flinkelt.track;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.pg.SourceCatalog;
import dev.flinkelt.pg.TableSchema;
import dev.flinkelt.raw.RawColumns;
import dev.flinkelt.raw.RawTableComment;
import dev.flinkelt.raw.RawTables;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Key and replica identity of each captured table: those known at build time, others read from the
 * source when met.
 */
final class SourceTables {
    private static final Logger LOG = LoggerFactory.getLogger(SourceTables.class);

    private final Tracking tracking;
    private final Supplier<Connection> source;
    private final Supplier<Connection> warehouse;
    private final Map<String, TableSchema> known = new HashMap<>();
    private final Set<String> refused = new HashSet<>();

    SourceTables(Tracking tracking, Supplier<Connection> source, Supplier<Connection> warehouse) {
        this.tracking = tracking;
        this.source = source;
        this.warehouse = warehouse;
        known.putAll(tracking.tables());
    }

    /**
     * The table as the catalog describes it now, or null (logged once) when it cannot be captured.
     */
    TableSchema get(String table) {
        TableSchema t = known.get(table);
        if (t != null || refused.contains(table)) {
            return t;
        }
        TableRef ref = TableRef.parse(table);
        SourceCatalog catalog =
                new SourceCatalog(
                        source.get()); // an unreachable source fails the job: nothing is skipped
        try {
            if (!catalog.exists(ref)) {
                // gone since (a replay after a failure): its changes still count, keyed as its raw
                // table notes
                t = fromRawTable(ref);
                if (t != null) {
                    known.put(table, t);
                    return t;
                }
                refused.add(table);
                LOG.warn(
                        "table {} is gone from the source and has no raw table; its changes are left out",
                        table);
                return null;
            }
            t = catalog.describe(ref, tracking.keyColumnsFor(ref), RawColumns.METADATA);
            known.put(table, t);
            return t;
        } catch (ConfigException e) {
            // the table itself is the problem (no key, a type or name flink-elt cannot carry): it
            // is left out
            refused.add(table);
            LOG.warn(
                    "table {} cannot be captured, its changes are left out: {}",
                    table,
                    e.getMessage());
            return null;
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot read the catalog entry of source table "
                            + table
                            + " (SQLSTATE "
                            + e.getSQLState()
                            + ")",
                    e);
        }
    }

    boolean exists(TableRef ref) throws SQLException {
        return new SourceCatalog(source.get()).exists(ref);
    }

    private TableSchema fromRawTable(TableRef ref) throws SQLException {
        RawTableComment.Parsed c =
                RawTableComment.read(
                        warehouse.get(), RawTables.qualified(tracking.schema().rawSchema(), ref));
        return c == null ? null : new TableSchema(ref, List.of(), c.key(), false);
    }

    /** From now on {@code t} is what is known of its table (its key changed). */
    void put(TableSchema t) {
        known.put(t.ref().dotted(), t);
    }

    /** Describes the table again (its columns changed); null when it cannot be captured. */
    TableSchema refresh(String table) {
        known.remove(table);
        refused.remove(table);
        return get(table);
    }
}
