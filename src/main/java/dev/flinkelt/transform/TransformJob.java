package dev.flinkelt.transform;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.config.TransformSettings.Mode;
import dev.flinkelt.preflight.Connections;
import dev.flinkelt.preflight.Publications;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;

/**
 * The transform job: mirror tables for every raw table, then the user's SQL files, in one Flink SQL job.
 * Users see {@code raw.<S>__<T>} and {@code mirror.<S>__<T>} as typed views (database names from the config)
 * and write with {@code 'connector' = 'warehouse'}; no connection settings in their SQL.
 */
public final class TransformJob {
    private final PipelineConfig config;
    private final Mode mode;
    private final List<RawTable> tables;
    private Rebuild rebuild;

    private TransformJob(PipelineConfig config, Mode mode, List<RawTable> tables) {
        this.config = config;
        this.mode = mode;
        this.tables = tables;
    }

    /** As below, for a run that restores nothing. */
    public static TransformJob prepare(PipelineConfig config, Mode mode) {
        return prepare(config, mode, true);
    }

    /**
     * Checks the warehouse, reads its raw tables, creates mirror tables and (streaming) the publication. A fresh
     * streaming run drops the slots a previous run left: its snapshot of the raw tables plus an old slot's backlog
     * would count the rows in between twice.
     */
    public static TransformJob prepare(PipelineConfig config, Mode mode, boolean fresh) {
        boolean soft = config.transform().softDeletes();
        try (Connection conn = Connections.open(config.target, "target")) {
            List<RawTable> tables = RawCatalog.read(conn, config.rawSchema);
            MirrorTables.ensure(conn, config.transform().mirrorSchema(), tables, soft);
            if (mode == Mode.STREAMING) {
                String level = Connections.setting(conn, "wal_level");
                if (!"logical".equals(level)) {
                    throw new ConfigException("the streaming transform reads the raw tables by logical replication, but the target server has"
                            + " wal_level = " + level + ". Fix: ALTER SYSTEM SET wal_level = logical; restart the target server;"
                            + " or run the transform with --mode batch");
                }
                if (config.transform().slot().length() > 54) {
                    throw new ConfigException("transform.slot '" + config.transform().slot() + "' is longer than 54 characters;"
                            + " the transform job adds _<8 hex digits> per raw table and PostgreSQL allows 63");
                }
                if (fresh) {
                    dropSlots(conn, config, tables);
                }
                Publications.ensure(conn, config.transform().publication(),
                        tables.stream().map(t -> new TableRef(t.rawSchema(), t.rawName())).toList(), config.transform().slot());
            }
            return new TransformJob(config, mode, tables);
        } catch (SQLException e) {
            throw new ConfigException("target " + config.target + ": " + e.getMessage(), e);
        }
    }

    private static void dropSlots(Connection conn, PipelineConfig config, List<RawTable> tables) throws SQLException {
        try (java.sql.PreparedStatement ps = conn.prepareStatement("SELECT active_pid FROM pg_replication_slots WHERE slot_name = ?")) {
            for (RawTable t : tables) {
                String slot = RawTextTableSource.slotName(config, t);
                ps.setString(1, slot);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        continue;
                    }
                    if (rs.getObject(1) != null) {
                        throw new ConfigException("replication slot '" + slot + "' on the warehouse is active (process " + rs.getInt(1)
                                + "): a streaming transform of this pipeline is running. Stop it first, or restore this run from its savepoint");
                    }
                }
                try (java.sql.PreparedStatement drop = conn.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
                    drop.setString(1, slot);
                    drop.execute();
                }
            }
        }
    }

    /** Declares every table and view, adds the mirror INSERTs and the user's statements to one statement set. */
    public StatementSet plan(TableEnvironment tEnv, List<SqlScript.Statement> userSql) {
        rebuild = mode == Mode.BATCH ? new Rebuild(config.target) : null;
        WarehouseContext.set(config, tables, rebuild);
        boolean soft = config.transform().softDeletes();
        String rawDb = config.rawSchema;
        String mirrorDb = config.transform().mirrorSchema();
        for (String db : List.of(FlinkSql.TEXT_DB, FlinkSql.MIRROR_SINK_DB, rawDb, mirrorDb)) {
            tEnv.executeSql("CREATE DATABASE IF NOT EXISTS " + FlinkSql.id(db));
        }
        StatementSet set = tEnv.createStatementSet();
        for (RawTable t : tables) {
            tEnv.executeSql(FlinkSql.textTable(t));
            tEnv.executeSql(FlinkSql.typedRawView(t, rawDb));
            tEnv.executeSql(FlinkSql.mirrorView(t, rawDb, mirrorDb));
            tEnv.executeSql(FlinkSql.mirrorSink(t, mirrorDb, soft));
            set.addInsertSql(FlinkSql.mirrorInsert(t, soft));
        }
        applyUserSql(tEnv, set, userSql);
        return set;
    }

    /** Runs the user's statements in order; a failing one is reported with its file, line and Flink's message. */
    static void applyUserSql(TableEnvironment tEnv, StatementSet set, List<SqlScript.Statement> userSql) {
        for (SqlScript.Statement s : userSql) {
            try {
                apply(tEnv, set, s);
            } catch (ConfigException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ConfigException(s.locate(message(e)), e);
            }
        }
    }

    private static void apply(TableEnvironment tEnv, StatementSet set, SqlScript.Statement s) {
        switch (s.keyword()) {
            case "SET" -> {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?is)SET\\s+'([^']+)'\\s*=\\s*'([^']*)'\\s*").matcher(s.sql());
                if (!m.matches()) {
                    throw new ConfigException(s.locate("write SET as SET 'key' = 'value'"));
                }
                tEnv.getConfig().getConfiguration().setString(m.group(1), m.group(2));
            }
            case "INSERT" -> set.addInsertSql(s.sql());
            case "EXECUTE" -> SqlScript.inserts(s).forEach(set::addInsertSql);
            case "SELECT" -> throw new ConfigException(s.locate("a SELECT on its own has nowhere to go; write INSERT INTO <table> SELECT ..."));
            default -> tEnv.executeSql(s.sql());
        }
    }

    private static final java.util.regex.Pattern POSITION = java.util.regex.Pattern.compile("line (\\d+), column (\\d+)");

    /** Flink's own explanation (first line), with the error's position when only a cause carries it. */
    static String message(Throwable e) {
        String first = null;
        String position = null;
        for (Throwable c = e; c != null && c != c.getCause(); c = c.getCause()) {
            String m = c.getMessage();
            if (m == null || m.isBlank()) {
                continue;
            }
            if (first == null) {
                first = m.lines().findFirst().orElse("").trim();
            }
            java.util.regex.Matcher p = POSITION.matcher(m);
            if (position == null && p.find()) {
                position = p.group();
            }
        }
        if (first == null) {
            return e.toString();
        }
        return position == null || first.contains(position) ? first : first + " (at " + position + ")";
    }

    /**
     * Batch: runs the job to its end, then swaps the rebuilt outputs in ({@link Rebuild}); a failed run changes
     * nothing. The result returned has finished.
     */
    public TableResult rebuild(TableEnvironment tEnv, List<SqlScript.Statement> userSql) throws Exception {
        if (mode != Mode.BATCH) {
            throw new IllegalStateException("a full rebuild is a batch run");
        }
        StatementSet set = plan(tEnv, userSql);
        Rebuild staged = rebuild;
        try {
            TableResult result = set.execute();
            result.await();
            staged.swap();
            return result;
        } catch (Exception | Error e) {
            staged.discard();
            throw e;
        }
    }

    public String jobName() {
        return "flink-elt transform (" + mode.name().toLowerCase(Locale.ROOT) + ", " + config.target.database() + ")";
    }
}
