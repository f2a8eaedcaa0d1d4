package dev.flinkelt.transform;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.PipelineException;
import dev.flinkelt.config.TransformSettings.Mode;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.raw.RawCatalog;
import dev.flinkelt.raw.RawTable;
import dev.flinkelt.transform.mirror.MirrorTables;

import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The transform job: mirror tables for every raw table, then the user's SQL files, in one Flink SQL
 * job. Users see {@code raw.<S>__<T>} and {@code mirror.<S>__<T>} as typed views (database names
 * from the config) and write with {@code 'connector' = 'warehouse'}; no connection settings in
 * their SQL.
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

    /**
     * Checks the warehouse, reads its raw tables and creates their mirror tables. Nothing else is
     * needed there: the raw tables are read with plain queries ({@link
     * dev.flinkelt.transform.read.RawRowsSource}).
     */
    public static TransformJob prepare(PipelineConfig config, Mode mode) {
        boolean soft = config.transform().softDeletes();
        try (Connection conn = Connections.open(config.target, "target")) {
            List<RawTable> tables = RawCatalog.read(conn, config.rawSchema);
            MirrorTables.ensure(conn, config.transform().mirrorSchema(), tables, soft);
            return new TransformJob(config, mode, tables);
        } catch (SQLException e) {
            throw new PipelineException("target " + config.target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Declares the raw-rows table, the mirrors' sink and the typed views, adds the one mirror
     * INSERT and the user's statements to one statement set. Every view reads the same raw-rows
     * table, so the job has one source.
     */
    public StatementSet plan(TableEnvironment tEnv, List<SqlScript.Statement> userSql) {
        rebuild = mode == Mode.BATCH ? new Rebuild(config.target) : null;
        new WarehouseContext(config, tables, rebuild).register(tEnv);
        String rawDb = config.rawSchema;
        String mirrorDb = config.transform().mirrorSchema();
        for (String db : List.of(FlinkSql.DB, rawDb, mirrorDb)) {
            tEnv.executeSql("CREATE DATABASE IF NOT EXISTS " + FlinkSql.id(db));
        }
        tEnv.executeSql(FlinkSql.rawRowsTable());
        tEnv.executeSql(FlinkSql.mirrorsTable());
        StatementSet set = tEnv.createStatementSet();
        set.addInsertSql(FlinkSql.mirrorsInsert());
        for (RawTable t : tables) {
            tEnv.executeSql(FlinkSql.typedRawView(t, rawDb));
            tEnv.executeSql(FlinkSql.mirrorView(t, mirrorDb));
        }
        applyUserSql(tEnv, set, userSql);
        return set;
    }

    /**
     * Runs the user's statements in order; a failing one is reported with its file, line and
     * Flink's message.
     */
    static void applyUserSql(
            TableEnvironment tEnv, StatementSet set, List<SqlScript.Statement> userSql) {
        for (SqlScript.Statement s : userSql) {
            try {
                apply(tEnv, set, s);
            } catch (ConfigException | PipelineException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ConfigException(s.locate(message(e)), e);
            }
        }
    }

    private static void apply(TableEnvironment tEnv, StatementSet set, SqlScript.Statement s) {
        switch (s.keyword()) {
            case "SET" -> {
                Matcher m =
                        Pattern.compile("(?is)SET\\s+'([^']+)'\\s*=\\s*'([^']*)'\\s*")
                                .matcher(s.sql());
                if (!m.matches()) {
                    throw new ConfigException(s.locate("write SET as SET 'key' = 'value'"));
                }
                tEnv.getConfig().getConfiguration().setString(m.group(1), m.group(2));
            }
            case "INSERT" -> set.addInsertSql(s.sql());
            case "EXECUTE" -> SqlScript.inserts(s).forEach(set::addInsertSql);
            case "SELECT" ->
                    throw new ConfigException(
                            s.locate(
                                    "a SELECT on its own has nowhere to go; write INSERT INTO <table> SELECT ..."));
            default -> tEnv.executeSql(s.sql());
        }
    }

    private static final Pattern POSITION = Pattern.compile("line (\\d+), column (\\d+)");

    /**
     * Flink's own explanation (first line), with the error's position when only a cause carries it.
     */
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
            Matcher p = POSITION.matcher(m);
            if (position == null && p.find()) {
                position = p.group();
            }
        }
        if (first == null) {
            return e.toString();
        }
        return position == null || first.contains(position)
                ? first
                : first + " (at " + position + ")";
    }

    /**
     * Batch: runs the job to its end, then swaps the rebuilt outputs in ({@link Rebuild}); a failed
     * run changes nothing. The result returned has finished.
     */
    public TableResult rebuild(TableEnvironment tEnv, List<SqlScript.Statement> userSql)
            throws Exception {
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
        return jobName(mode, config.target.database());
    }

    /** The Flink job name of a transform run in {@code mode} into the warehouse database. */
    public static String jobName(Mode mode, String database) {
        return "flink-elt transform ("
                + mode.name().toLowerCase(Locale.ROOT)
                + ", "
                + database
                + ")";
    }
}
