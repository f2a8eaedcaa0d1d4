package dev.flinkelt.bench.tpch;

import io.trino.tpch.TpchEntity;
import io.trino.tpch.TpchTable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * TPC-H data from Trino's generator (the dbgen algorithm, so every scale gives the same rows as the
 * reference tools) loaded into schema {@code tpch} of a source database with {@code COPY}.
 */
public final class TpchData {
    public static final String SCHEMA = "tpch";

    private TpchData() {}

    /** Creates the eight tables and fills them; returns the rows per table. */
    public static Map<String, Long> load(Connection c, double scale)
            throws SQLException, IOException {
        try (Statement st = c.createStatement()) {
            for (String ddl : resource("schema.sql").split(";")) {
                if (!ddl.isBlank()) {
                    st.execute(ddl);
                }
            }
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        for (TpchTable<?> table : TpchTable.getTables()) {
            rows.put(table.getTableName(), copy(c, table, scale));
        }
        try (Statement st = c.createStatement()) {
            st.execute("VACUUM ANALYZE"); // the peer's plans, and a template without dead rows
        }
        return rows;
    }

    private static long copy(Connection c, TpchTable<?> table, double scale) throws SQLException {
        CopyIn in =
                c.unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn(
                                "COPY "
                                        + SCHEMA
                                        + "."
                                        + table.getTableName()
                                        + " FROM STDIN (FORMAT text, DELIMITER '|')");
        long n = 0;
        StringBuilder buf = new StringBuilder(1 << 20);
        for (TpchEntity e : table.createGenerator(scale, 1, 1)) {
            // toLine() is dbgen's '|'-separated text with a trailing '|' (no '|' or '\' inside
            // values)
            String line = e.toLine();
            buf.append(line, 0, line.length() - 1).append('\n');
            n++;
            if (buf.length() > (1 << 20)) {
                write(in, buf);
            }
        }
        write(in, buf);
        in.endCopy();
        return n;
    }

    private static void write(CopyIn in, StringBuilder buf) throws SQLException {
        byte[] b = buf.toString().getBytes(StandardCharsets.UTF_8);
        in.writeToCopy(b, 0, b.length);
        buf.setLength(0);
    }

    /** A text file of {@code bench/tpch/} on the classpath. */
    static String resource(String name) throws IOException {
        try (InputStream in = TpchData.class.getResourceAsStream("/bench/tpch/" + name)) {
            if (in == null) {
                throw new IOException("bench/tpch/" + name + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
