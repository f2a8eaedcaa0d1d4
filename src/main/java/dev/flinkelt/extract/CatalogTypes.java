package dev.flinkelt.extract;

import dev.flinkelt.extract.pgoutput.TypeResolver;
import dev.flinkelt.pg.ColumnType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Resolves the types of Relation messages in the source catalog, once per type and modifier. A type
 * keeps its OID for its life, so the catalog of now names the type the stream meant; a type dropped
 * since keeps the name its Type message gave, as a base type.
 */
final class CatalogTypes implements TypeResolver {
    private static final String SQL =
            "SELECT tn.nspname, t.typname, format_type(t.oid, ?), COALESCE(et.typtype, t.typtype),"
                    + " et.oid IS NOT NULL, COALESCE(etn.nspname, tn.nspname), COALESCE(et.typname, t.typname)"
                    + " FROM pg_type t JOIN pg_namespace tn ON tn.oid = t.typnamespace"
                    + " LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'"
                    + " LEFT JOIN pg_namespace etn ON etn.oid = et.typnamespace"
                    + " WHERE t.oid = ?";

    private final Supplier<Connection> source;
    private final Map<Long, ColumnType> known = new HashMap<>();

    CatalogTypes(Supplier<Connection> source) {
        this.source = source;
    }

    @Override
    public ColumnType resolve(int oid, int typmod, String namespace, String name) {
        long id = ((long) oid << 32) | (typmod & 0xffffffffL);
        ColumnType t = known.get(id);
        if (t == null) {
            t = lookUp(oid, typmod, namespace, name);
            known.put(id, t);
        }
        return t;
    }

    private ColumnType lookUp(int oid, int typmod, String namespace, String name) {
        try (PreparedStatement ps = source.get().prepareStatement(SQL)) {
            ps.setInt(1, typmod);
            ps.setLong(2, oid & 0xffffffffL);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return new ColumnType(
                            rs.getString(1),
                            rs.getString(2),
                            typmod,
                            rs.getString(3),
                            rs.getString(4).charAt(0),
                            rs.getBoolean(5),
                            rs.getString(6),
                            rs.getString(7));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot read type "
                            + oid
                            + " from the source catalog (SQLSTATE "
                            + e.getSQLState()
                            + ")",
                    e);
        }
        String schema = namespace == null ? "pg_catalog" : namespace;
        String typname = name == null ? "text" : name;
        return new ColumnType(schema, typname, typmod, typname, 'b', false, schema, typname);
    }
}
