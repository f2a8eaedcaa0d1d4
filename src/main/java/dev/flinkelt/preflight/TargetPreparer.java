package dev.flinkelt.preflight;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.load.RawTables;
import java.sql.Connection;
import java.sql.SQLException;

/** Checks the warehouse (reachable, two-phase commit enabled) and creates the raw schema and tables. */
public final class TargetPreparer {
    private final PipelineConfig config;

    public TargetPreparer(PipelineConfig config) {
        this.config = config;
    }

    public void prepare(SourcePreparer.Result source) {
        try (Connection conn = Connections.open(config.target, "target")) {
            int prepared = Integer.parseInt(Connections.setting(conn, "max_prepared_transactions"));
            // each sink subtask can hold a prepared transaction per in-flight checkpoint
            int needed = config.parallelism * source.tables().size() * 2;
            if (prepared < needed) {
                throw new ConfigException("target server has max_prepared_transactions = " + prepared + "; the exactly-once sink"
                        + " prepares a transaction per table and subtask at each checkpoint and needs at least " + needed
                        + ". Fix: ALTER SYSTEM SET max_prepared_transactions = " + Math.max(needed, 64) + "; then restart the target server");
            }
            RawTables.ensure(conn, config.rawSchema, source.tables(), source.userTypes());
        } catch (SQLException e) {
            throw new ConfigException("target " + config.target + ": " + e.getMessage(), e);
        }
    }
}
