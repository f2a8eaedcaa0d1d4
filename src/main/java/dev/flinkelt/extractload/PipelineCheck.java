package dev.flinkelt.extractload;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.Findings;
import dev.flinkelt.config.PgEndpoint;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.load.TargetCheck;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.pg.TableSchema;
import dev.flinkelt.pg.UserType;
import dev.flinkelt.track.SourceCheck;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Every precondition of a pipeline on both servers, in one report: what the {@code check} command
 * prints and what a start of extract-load refuses with, all failures at once. Changes nothing on
 * either server.
 */
public final class PipelineCheck {
    private PipelineCheck() {}

    /**
     * {@code withTransform}: also what the transform needs of the warehouse (its schemas); {@code
     * resuming}: the run starts from a checkpoint or savepoint (its slot must exist).
     */
    public static Findings run(PipelineConfig config, boolean withTransform, boolean resuming) {
        Findings out = new Findings();
        List<TableSchema> tables = List.of();
        List<UserType> types = List.of();
        try (Connection c = Connections.open(config.source, "source")) {
            SourceCheck.Result r = SourceCheck.run(config, c, resuming);
            out.addAll(r.findings());
            tables = r.tables();
            types = r.userTypes();
        } catch (ConfigException e) {
            out.fail("source", e.getMessage());
        } catch (SQLException e) {
            out.fail(
                    "source", "checking " + config.source + " failed: " + masked(e, config.source));
        }
        try (Connection c = Connections.open(config.target, "target")) {
            out.addAll(
                    TargetCheck.run(
                            config,
                            c,
                            tables,
                            types,
                            withTransform ? config.transform().mirrorSchema() : null));
        } catch (ConfigException e) {
            out.fail("target", e.getMessage());
        } catch (SQLException e) {
            out.fail(
                    "target", "checking " + config.target + " failed: " + masked(e, config.target));
        }
        return out;
    }

    private static String masked(SQLException e, PgEndpoint endpoint) {
        String msg = String.valueOf(e.getMessage());
        return endpoint.password() == null || endpoint.password().isEmpty()
                ? msg
                : msg.replace(endpoint.password(), "***");
    }
}
