package dev.flinkelt.load;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.PipelineException;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.pg.TableSchema;
import dev.flinkelt.pg.UserType;
import dev.flinkelt.raw.RawTables;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Checks the warehouse (reachable, two-phase commit enabled) and creates the raw schema and tables.
 */
public final class TargetPreparer {
    private final PipelineConfig config;

    public TargetPreparer(PipelineConfig config) {
        this.config = config;
    }

    /**
     * Checks the warehouse and makes the raw schema, the user types and the raw tables of {@code
     * tables} (if missing).
     */
    public void prepare(List<TableSchema> tables, List<UserType> userTypes) {
        try (Connection conn = Connections.open(config.target, "target")) {
            int prepared = Integer.parseInt(Connections.setting(conn, "max_prepared_transactions"));
            // each sink subtask holds at most two: the completed checkpoint's until it is
            // committed, and the next one's
            int needed = 2 * config.parallelism;
            if (prepared < needed) {
                throw new ConfigException(
                        "target server has max_prepared_transactions = "
                                + prepared
                                + "; the exactly-once sink"
                                + " prepares one transaction per subtask and checkpoint (whatever the number of tables) and needs at least "
                                + needed
                                + " at parallelism "
                                + config.parallelism
                                + ". Fix: ALTER SYSTEM SET max_prepared_transactions = "
                                + Math.max(needed, 10)
                                + "; then restart the target server");
            }
            // per subtask: the sink's writing and committing connections, the column mapper's and
            // two of the keyed stage
            // (mapping, DDL); one more for the tracker that looks for new tables
            int free =
                    Integer.parseInt(
                            Connections.rows(
                                            conn,
                                            "SELECT current_setting('max_connections')::int"
                                                    + " - current_setting('superuser_reserved_connections')::int"
                                                    + " - (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')")
                                    .get(0));
            int connections = 5 * config.parallelism + 1;
            if (free < connections) {
                throw new ConfigException(
                        "target server has "
                                + Math.max(free, 0)
                                + " free connection(s) (max_connections minus"
                                + " superuser_reserved_connections minus sessions now open); the pipeline needs "
                                + connections
                                + " at parallelism "
                                + config.parallelism
                                + " (per subtask: the sink's writing and committing connections, three to map columns"
                                + " and follow the source's DDL; one more to capture new tables). Fix: raise max_connections on"
                                + " the target server, or close idle sessions");
            }
            RawTables.renameLegacy(conn, config.rawSchema);
            RawTables.ensure(conn, config.rawSchema, tables, userTypes, config.missingTypesAsText);
        } catch (SQLException e) {
            throw new PipelineException("target " + config.target + ": " + e.getMessage(), e);
        }
    }
}
