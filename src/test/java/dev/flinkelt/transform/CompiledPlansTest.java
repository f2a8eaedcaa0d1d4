package dev.flinkelt.transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.PlanReference;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableEnvironment;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * CompiledPlans.normalize: equal SQL gives an equal plan file, whatever the planner's JVM-wide node
 * counter says.
 */
class CompiledPlansTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void nodesAreRenumberedFromOneAndEdgesFollowThem() throws Exception {
        String plan =
                """
                {"flinkVersion": "1.20",
                 "nodes": [{"id": 42, "type": "sink", "state": [{"index": 0, "id": 7}]},
                           {"id": 40, "type": "source"},
                           {"id": 41, "type": "calc"}],
                 "edges": [{"source": 40, "target": 41, "shuffle": {"type": "FORWARD"}},
                           {"source": 41, "target": 42, "shuffle": {"type": "FORWARD"}}]}""";

        JsonNode out = JSON.readTree(CompiledPlans.normalize(plan));

        assertThat(ints(out.path("nodes"), "id")).containsExactly(3, 1, 2);
        assertThat(ints(out.path("edges"), "source")).containsExactly(1, 2);
        assertThat(ints(out.path("edges"), "target")).containsExactly(2, 3);
        assertThat(out.path("nodes").get(0).path("state").get(0).path("id").asInt())
                .as("only node ids move")
                .isEqualTo(7);
        assertThat(out.path("nodes").get(0).path("type").asText()).isEqualTo("sink");
        assertThat(out.path("edges").get(0).path("shuffle").path("type").asText())
                .isEqualTo("FORWARD");
    }

    @Test
    void aPlanAlreadyNumberedFromOneIsKeptByteForByte() {
        String plan = "{\"nodes\":[{\"id\":2},{\"id\":1}],\"edges\":[{\"source\":1,\"target\":2}]}";

        assertThat(CompiledPlans.normalize(plan)).isEqualTo(plan);
        assertThat(CompiledPlans.normalize("{\"flinkVersion\":\"1.20\"}"))
                .isEqualTo("{\"flinkVersion\":\"1.20\"}");
    }

    @Test
    void textThatIsNoPlanFailsNamingThePlan() {
        assertThatThrownBy(() -> CompiledPlans.normalize("{\"nodes\": ["))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("compiled plan");
    }

    @Test
    void theSameSqlCompiledTwiceInOneJvmGivesTheSamePlanFile() {
        TableEnvironment tEnv = streaming();
        String first = compile(tEnv);
        String second = compile(tEnv);
        assertThat(second)
                .as(
                        "the planner's counter moved on: without normalising, operator ids would differ")
                .isNotEqualTo(first);

        String normalized = CompiledPlans.normalize(second);
        assertThat(CompiledPlans.normalize(first)).isEqualTo(normalized);

        // a plan Flink numbers from 1 itself (the first compile in a fresh JVM) is kept as Flink
        // wrote it: it must be
        // the very text normalize writes, or the plan file would be rewritten on every run
        String flinksOwn = tEnv.loadPlan(PlanReference.fromJsonString(normalized)).asJsonString();
        assertThat(flinksOwn).isEqualTo(normalized);
    }

    static TableEnvironment streaming() {
        TableEnvironment tEnv = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        tEnv.executeSql("CREATE TABLE src (id BIGINT, v STRING) WITH ('connector' = 'datagen')");
        tEnv.executeSql("CREATE TABLE out_t (v STRING, n BIGINT) WITH ('connector' = 'blackhole')");
        return tEnv;
    }

    static String compile(TableEnvironment tEnv) {
        StatementSet set = tEnv.createStatementSet();
        set.addInsertSql("INSERT INTO out_t SELECT v, COUNT(*) FROM src GROUP BY v");
        return set.compilePlan().asJsonString();
    }

    static List<Integer> ints(JsonNode array, String field) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asInt()));
        return out;
    }
}
