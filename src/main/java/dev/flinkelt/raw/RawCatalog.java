package dev.flinkelt.raw;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.pg.SourceCatalog;
import dev.flinkelt.pg.TableSchema;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the raw tables extract-load made in the warehouse (by their comment), with their source's
 * columns and key. The transform mirrors the tables with a key; a table without one is a multiset
 * (see verify) and stays in raw.
 */
public final class RawCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(RawCatalog.class);

    private RawCatalog() {}

    /**
     * Every raw table of {@code rawSchema} of a table with a key; none at all is an error (run
     * extract-load first).
     */
    public static List<RawTable> read(Connection warehouse, String rawSchema) throws SQLException {
        List<RawTable> out = new ArrayList<>();
        SourceCatalog catalog = new SourceCatalog(warehouse);
        for (Map.Entry<String, RawTableComment.Parsed> t :
                comments(warehouse, rawSchema).entrySet()) {
            if (t.getValue().key().isEmpty()) {
                LOG.info(
                        "raw table {}.{} is of a table without a key: it gets no mirror (its rows are a"
                                + " multiset; read the raw table)",
                        rawSchema,
                        t.getKey());
                continue;
            }
            out.add(describe(catalog, rawSchema, t.getKey(), t.getValue()));
        }
        if (out.isEmpty()) {
            throw new ConfigException(
                    "the warehouse has no raw tables in schema '"
                            + rawSchema
                            + "' (target.raw-schema);"
                            + " run extract-load first, it creates them");
        }
        return out;
    }

    /** Each raw table of {@code rawSchema}, by name, with the source table its comment names. */
    public static Map<String, TableRef> sources(Connection warehouse, String rawSchema)
            throws SQLException {
        Map<String, TableRef> out = new LinkedHashMap<>();
        comments(warehouse, rawSchema).forEach((name, comment) -> out.put(name, comment.source()));
        return out;
    }

    /** As {@link #sources}, tables without a key left out (the transform mirrors none). */
    public static Map<String, TableRef> keyedSources(Connection warehouse, String rawSchema)
            throws SQLException {
        Map<String, TableRef> out = new LinkedHashMap<>();
        comments(warehouse, rawSchema)
                .forEach(
                        (name, comment) -> {
                            if (!comment.key().isEmpty()) {
                                out.put(name, comment.source());
                            }
                        });
        return out;
    }

    /** One raw table, as {@link #read} describes it. */
    public static RawTable describe(Connection warehouse, String rawSchema, String rawName)
            throws SQLException {
        RawTableComment.Parsed p =
                RawTableComment.read(
                        warehouse, Identifiers.quote(rawSchema) + "." + Identifiers.quote(rawName));
        if (p == null) {
            throw new SQLException(
                    "raw table " + rawSchema + "." + rawName + " has no flink-elt comment");
        }
        return describe(new SourceCatalog(warehouse), rawSchema, rawName, p);
    }

    /**
     * The source's name and key from the comment, the columns from the raw table itself (metadata
     * left out).
     */
    private static RawTable describe(
            SourceCatalog catalog, String rawSchema, String rawName, RawTableComment.Parsed p)
            throws SQLException {
        TableSchema raw =
                catalog.describe(
                        new TableRef(rawSchema, rawName), p.key(), RawColumns.METADATA, true);
        return new RawTable(
                new TableSchema(p.source(), raw.columns(), p.key(), false), rawSchema, rawName);
    }

    private static Map<String, RawTableComment.Parsed> comments(
            Connection warehouse, String rawSchema) throws SQLException {
        Map<String, RawTableComment.Parsed> out = new LinkedHashMap<>();
        try (PreparedStatement ps =
                warehouse.prepareStatement(
                        "SELECT c.relname, obj_description(c.oid, 'pg_class') FROM pg_class c"
                                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind = 'r' ORDER BY c.relname")) {
            ps.setString(1, rawSchema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    RawTableComment.Parsed p = RawTableComment.parse(rs.getString(2));
                    if (p != null) {
                        out.put(rs.getString(1), p);
                    }
                }
            }
        }
        return out;
    }
}
