package dev.flinkelt.transform;

import dev.flinkelt.catalog.ColumnSpec;
import dev.flinkelt.catalog.TableSchema;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.PgEndpoint;
import dev.flinkelt.preflight.Connections;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Collectors;
import org.apache.flink.api.common.io.DefaultInputSplitAssigner;
import org.apache.flink.api.common.io.RichInputFormat;
import org.apache.flink.api.common.io.statistics.BaseStatistics;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.io.GenericInputSplit;
import org.apache.flink.core.io.InputSplitAssigner;
import org.apache.flink.table.data.RowData;

/** Batch mode: reads one raw table once, every value as PostgreSQL text (the same text the streaming path yields). */
final class RawTextInputFormat extends RichInputFormat<RowData, GenericInputSplit> implements ResultTypeQueryable<RowData> {
    private static final long serialVersionUID = 1L;

    private final PgEndpoint warehouse;
    private final TableSchema full;
    private final TypeInformation<RowData> type;
    private transient Connection conn;
    private transient PreparedStatement stmt;
    private transient ResultSet rs;
    private transient boolean hasNext;
    private transient RawRows rows;

    RawTextInputFormat(PgEndpoint warehouse, TableSchema full, TypeInformation<RowData> type) {
        this.warehouse = warehouse;
        this.full = full;
        this.type = type;
    }

    static String query(TableSchema full) {
        return "SELECT " + full.columns().stream().map(RawTextInputFormat::text).collect(Collectors.joining(", "))
                + " FROM " + full.ref().quoted()
                // a TRUNCATE row ends every earlier version of every key, and is itself no version of a key
                + " WHERE \"_op\" <> 't' AND \"_lsn\" > (SELECT coalesce(max(\"_lsn\"), -1) FROM " + full.ref().quoted() + " WHERE \"_op\" = 't')";
    }

    private static String text(ColumnSpec c) {
        String q = Identifiers.quote(c.name());
        if (FlinkTypes.isTimestamptz(c)) {
            return "to_char(" + q + " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')";
        }
        return q + "::text";
    }

    @Override
    public void configure(Configuration parameters) {}

    @Override
    public BaseStatistics getStatistics(BaseStatistics cached) {
        return cached;
    }

    @Override
    public GenericInputSplit[] createInputSplits(int minNumSplits) {
        return new GenericInputSplit[] {new GenericInputSplit(0, 1)};
    }

    @Override
    public InputSplitAssigner getInputSplitAssigner(GenericInputSplit[] splits) {
        return new DefaultInputSplitAssigner(splits);
    }

    @Override
    public void open(GenericInputSplit split) throws IOException {
        try {
            conn = Connections.open(warehouse, "target");
            conn.setAutoCommit(false); // a cursor, not the whole table in memory
            try (Statement st = conn.createStatement()) {
                st.execute("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres';"
                        + " SET extra_float_digits = 1; SET bytea_output = 'hex'");
            }
            stmt = conn.prepareStatement(query(full));
            stmt.setFetchSize(5000);
            rs = stmt.executeQuery();
            hasNext = rs.next();
            rows = new RawRows(full);
        } catch (SQLException e) {
            throw new IOException("reading raw table " + full.ref() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean reachedEnd() {
        return !hasNext;
    }

    @Override
    public RowData nextRecord(RowData reuse) throws IOException {
        try {
            String[] values = new String[full.columns().size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = rs.getString(i + 1);
            }
            hasNext = rs.next();
            return rows.row(values);
        } catch (SQLException e) {
            throw new IOException("reading raw table " + full.ref() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (conn != null) {
                conn.close();
            }
        } catch (SQLException e) {
            throw new IOException(e);
        } finally {
            conn = null;
        }
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return type;
    }
}
