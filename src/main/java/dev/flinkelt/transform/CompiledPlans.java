package dev.flinkelt.transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.table.api.PlanReference;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The streaming transform runs from a compiled plan (Flink's COMPILE PLAN / EXECUTE PLAN), kept
 * next to the SQL as {@value #FILE}. Operator ids then come from the plan's node ids, which stay
 * the same for statements that did not change as long as new INSERTs come after the old ones, so a
 * savepoint of the old job restores into the new one. The file is rewritten when the SQL changes,
 * so it can be reviewed and versioned with it.
 */
public final class CompiledPlans {
    public static final String FILE = "compiled-plan.json";
    private static final Logger LOG = LoggerFactory.getLogger(CompiledPlans.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CompiledPlans() {}

    public static TableResult execute(TableEnvironment tEnv, StatementSet set, Path sqlDir) {
        String json = normalize(set.compilePlan().asJsonString());
        Path file = sqlDir.resolve(FILE);
        try {
            if (!Files.exists(file) || !Files.readString(file).equals(json)) {
                Files.writeString(file, json);
                LOG.info("compiled plan written to {}", file);
            }
        } catch (IOException e) {
            // a read-only SQL directory (a mounted ConfigMap): the plan is still used, just not
            // kept
            LOG.warn(
                    "cannot write the compiled plan to {} ({}); running it without keeping a copy",
                    file,
                    e.getMessage());
        }
        return tEnv.loadPlan(PlanReference.fromJsonString(json)).execute();
    }

    /**
     * Renumbers the plan's nodes from 1. The planner takes node ids from a counter that lives as
     * long as the JVM, so a second compile in the same process (tests, a long-lived client) would
     * number the same nodes 33, 34, ... and no operator id would match a savepoint. Normalised,
     * equal SQL always gives equal ids.
     */
    static String normalize(String json) {
        try {
            JsonNode root = MAPPER.readTree(json);
            int min = Integer.MAX_VALUE;
            for (JsonNode n : root.path("nodes")) {
                min = Math.min(min, n.path("id").asInt());
            }
            if (min == Integer.MAX_VALUE || min == 1) {
                return json;
            }
            int offset = min - 1;
            for (JsonNode n : root.path("nodes")) {
                ((ObjectNode) n).put("id", n.path("id").asInt() - offset);
            }
            for (JsonNode e : root.path("edges")) {
                ((ObjectNode) e).put("source", e.path("source").asInt() - offset);
                ((ObjectNode) e).put("target", e.path("target").asInt() - offset);
            }
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the compiled plan: " + e.getMessage(), e);
        }
    }
}
