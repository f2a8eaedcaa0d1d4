package dev.flinkelt.transform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.table.api.CompiledPlan;
import org.apache.flink.table.api.PlanReference;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming transform runs from a compiled plan (Flink's COMPILE PLAN / EXECUTE PLAN), kept next to the
 * SQL as {@value #FILE}. Operator ids then come from the plan's node ids, which stay the same for statements
 * that did not change as long as new INSERTs come after the old ones, so a savepoint of the old job restores
 * into the new one. The file is rewritten when the SQL changes, so it can be reviewed and versioned with it.
 */
public final class CompiledPlans {
    public static final String FILE = "compiled-plan.json";
    private static final Logger LOG = LoggerFactory.getLogger(CompiledPlans.class);

    private CompiledPlans() {}

    public static TableResult execute(TableEnvironment tEnv, StatementSet set, Path sqlDir) {
        CompiledPlan plan = set.compilePlan();
        String json = plan.asJsonString();
        Path file = sqlDir.resolve(FILE);
        try {
            if (!Files.exists(file) || !Files.readString(file).equals(json)) {
                Files.writeString(file, json);
                LOG.info("compiled plan written to {}", file);
            }
        } catch (IOException e) {
            // a read-only SQL directory (a mounted ConfigMap): the plan is still used, just not kept
            LOG.warn("cannot write the compiled plan to {} ({}); running it without keeping a copy", file, e.getMessage());
        }
        return tEnv.loadPlan(PlanReference.fromJsonString(json)).execute();
    }
}
