package dev.flinkelt.track;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.Findings;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.pg.SourceCatalog;
import dev.flinkelt.pg.TableSchema;
import dev.flinkelt.raw.RawColumns;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the pipeline needs of each captured table: the role may read it (USAGE on its schema, SELECT
 * on it: snapshots read it), its columns can be carried, and whether its updates and deletes can be
 * streamed (a replica identity).
 */
final class TableAccess {
    private TableAccess() {}

    /** The tables that could be described, in order; a finding for each problem. */
    static List<TableSchema> check(
            Connection conn,
            PipelineConfig config,
            SourceCatalog catalog,
            List<TableRef> refs,
            Findings out)
            throws SQLException {
        String role = Identifiers.quote(config.source.username());
        Set<String> schemasWithoutUsage = new LinkedHashSet<>();
        int unreadable = 0;
        List<TableSchema> tables = new ArrayList<>();
        try (PreparedStatement ps =
                conn.prepareStatement(
                        // by oid: a name lookup in a schema without USAGE would fail instead
                        "SELECT has_schema_privilege(n.oid, 'USAGE'), has_table_privilege(c.oid, 'SELECT')"
                                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                                + " WHERE n.nspname = ? AND c.relname = ?")) {
            for (TableRef t : refs) {
                ps.setString(1, t.schema());
                ps.setString(2, t.table());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        out.fail(
                                SourceCheck.SERVER,
                                "source table " + t + " was dropped while it was being checked");
                        unreadable++;
                        continue;
                    }
                    if (!rs.getBoolean(1)) {
                        if (schemasWithoutUsage.add(t.schema())) {
                            out.fail(
                                    SourceCheck.SERVER,
                                    "source user may not use schema "
                                            + Identifiers.quote(t.schema())
                                            + " (captured tables are in it). Fix: GRANT USAGE ON SCHEMA "
                                            + Identifiers.quote(t.schema())
                                            + " TO "
                                            + role
                                            + ";");
                        }
                        unreadable++;
                        continue;
                    }
                    if (!rs.getBoolean(2)) {
                        out.fail(
                                SourceCheck.SERVER,
                                "source user may not read "
                                        + t
                                        + " (snapshots SELECT it). Fix: GRANT SELECT ON "
                                        + t.quoted()
                                        + " TO "
                                        + role
                                        + ";");
                        unreadable++;
                        continue;
                    }
                }
                try {
                    TableSchema s =
                            catalog.describe(t, config.keyColumnsFor(t), RawColumns.METADATA);
                    tables.add(s);
                    if (s.insertOnly()) {
                        out.warn(
                                SourceCheck.SERVER,
                                "table "
                                        + t
                                        + " has no replica identity (no primary key, or REPLICA IDENTITY"
                                        + " NOTHING): it is captured insert-only, its UPDATEs and DELETEs do not"
                                        + " reach raw. Fix: ALTER TABLE "
                                        + t.quoted()
                                        + " REPLICA IDENTITY FULL; (or give it a primary key)");
                    }
                } catch (ConfigException e) {
                    out.fail(SourceCheck.SERVER, e.getMessage());
                    unreadable++;
                }
            }
        }
        if (!refs.isEmpty() && unreadable == 0) {
            out.ok(
                    SourceCheck.SERVER,
                    refs.size() + " captured table(s), each readable and its columns carried");
        }
        return tables;
    }
}
