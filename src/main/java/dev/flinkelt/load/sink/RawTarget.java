package dev.flinkelt.load.sink;

import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.pg.LiveColumn;
import dev.flinkelt.raw.RawColumns;
import dev.flinkelt.raw.RawNames;
import dev.flinkelt.raw.RawTableComment;
import dev.flinkelt.raw.RawTables;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One raw table as the sink writes it: its name, its source columns (as the warehouse has them when
 * loaded; mapped values index into them) and the COPY statement that loads it. Equal only to itself
 * (the writer keys its batch by it, once per row); a raw table that gained columns gets a new
 * target.
 */
final class RawTarget implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String rawName;
    private final String qualified;
    private final List<String> columns;
    private final int[] keyIndexes;
    private final String copySql;

    private RawTarget(
            String rawName,
            String qualified,
            List<String> columns,
            int[] keyIndexes,
            String copySql) {
        this.rawName = rawName;
        this.qualified = qualified;
        this.columns = columns;
        this.keyIndexes = keyIndexes;
        this.copySql = copySql;
    }

    /** The raw table of {@code table} with the columns it has now in the warehouse. */
    static RawTarget load(
            Connection conn, String rawSchema, TableRef table, List<String> keyColumns)
            throws SQLException {
        String qualified = RawTables.qualified(rawSchema, table);
        if (LiveColumn.read(conn, qualified).isEmpty()) {
            throw new SQLException("raw table " + qualified + " does not exist in the warehouse");
        }
        // a table without columns has none here, only the metadata
        List<String> columns = RawColumns.of(conn, qualified);
        String cols =
                columns.stream()
                        .map(c -> Identifiers.quote(c) + ", ")
                        .collect(Collectors.joining());
        String copy =
                "COPY "
                        + qualified
                        + " ("
                        + cols
                        + "\"_op\", \"_lsn\", \"_seq\", \"_tx_id\", \"_source_ts\") FROM STDIN";
        int[] keys = keyColumns.stream().mapToInt(columns::indexOf).toArray();
        return new RawTarget(RawNames.of(table), qualified, columns, keys, copy);
    }

    /** The key columns flink-elt noted in the raw table's comment when it made the table. */
    static List<String> keyFromComment(Connection conn, String rawSchema, TableRef table)
            throws SQLException {
        String qualified = RawTables.qualified(rawSchema, table);
        RawTableComment.Parsed c = RawTableComment.read(conn, qualified);
        if (c == null) {
            throw new SQLException(
                    "raw table " + qualified + " has no flink-elt comment naming its key");
        }
        return c.key();
    }

    /** How many source columns the raw table had when this was loaded. */
    int width() {
        return columns.size();
    }

    String rawName() {
        return rawName;
    }

    /** The quoted, schema-qualified name. */
    String qualified() {
        return qualified;
    }

    List<String> columns() {
        return columns;
    }

    int[] keyIndexes() {
        return keyIndexes;
    }

    String copySql() {
        return copySql;
    }

    List<String> keyColumns() {
        return Arrays.stream(keyIndexes).mapToObj(columns::get).toList();
    }
}
