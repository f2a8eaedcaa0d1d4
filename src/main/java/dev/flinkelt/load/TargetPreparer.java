package dev.flinkelt.load;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.PipelineException;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.pg.TableSchema;
import dev.flinkelt.pg.UserType;
import dev.flinkelt.raw.RawTables;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Creates the raw schema and tables, once {@link TargetCheck} found the warehouse fit. */
public final class TargetPreparer {
    private final PipelineConfig config;

    public TargetPreparer(PipelineConfig config) {
        this.config = config;
    }

    /** Makes the raw schema, the user types and the raw tables of {@code tables} (if missing). */
    public void prepare(List<TableSchema> tables, List<UserType> userTypes) {
        try (Connection conn = Connections.open(config.target, "target")) {
            RawTables.renameLegacy(conn, config.rawSchema);
            RawTables.ensure(conn, config.rawSchema, tables, userTypes, config.missingTypesAsText);
        } catch (SQLException e) {
            throw new PipelineException("target " + config.target + ": " + e.getMessage(), e);
        }
    }
}
