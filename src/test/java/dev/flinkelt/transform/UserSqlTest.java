package dev.flinkelt.transform;

import dev.flinkelt.config.ConfigException;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableEnvironment;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserSqlTest {
    static final Path FILE = Path.of("transforms/30_example.sql");

    static void run(String text) {
        TableEnvironment tEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        StatementSet set = tEnv.createStatementSet();
        TransformJob.applyUserSql(tEnv, set, SqlScript.split(FILE, text));
    }

    @Test
    void splitsOnSemicolonsOutsideQuotesAndCommentsAndKeepsLineNumbers() {
        List<SqlScript.Statement> s =
                SqlScript.split(
                        FILE,
                        String.join(
                                "\n",
                                "-- a comment; with a semicolon",
                                "SET 'table.local-time-zone' = 'UTC';",
                                "",
                                "/* block; comment */ CREATE VIEW v AS SELECT 'a;b' AS x;",
                                "EXECUTE STATEMENT SET",
                                "BEGIN",
                                "  INSERT INTO t SELECT 1;",
                                "  INSERT INTO t SELECT ';';",
                                "END;"));
        assertThat(s).extracting(SqlScript.Statement::line).containsExactly(2, 4, 5);
        assertThat(s.get(1).sql()).isEqualTo("CREATE VIEW v AS SELECT 'a;b' AS x");
        assertThat(SqlScript.inserts(s.get(2)))
                .containsExactly("INSERT INTO t SELECT 1", "INSERT INTO t SELECT ';'");
    }

    @Test
    void badSqlNamesFileLineAndFlinksMessage() {
        assertThatThrownBy(
                        () ->
                                run(
                                        "CREATE VIEW ok AS SELECT 1 AS x;\n\nCREATE VIEW broken AS\n  SELECT 1 AS x FROM WHERE"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("30_example.sql line 3: ")
                .hasMessageContaining("line 4");
    }

    @Test
    void missingTableIsNamed() {
        assertThatThrownBy(
                        () ->
                                run(
                                        "CREATE TABLE out_t (x BIGINT) WITH ('connector' = 'blackhole');\n"
                                                + "INSERT INTO out_t SELECT id FROM mirror_public__nope;"))
                .hasMessageStartingWith("30_example.sql line 2: ")
                .hasMessageContaining("mirror_public__nope");
    }

    @Test
    void selectWithoutInsertIsRefused() {
        assertThatThrownBy(() -> run("SELECT 1;"))
                .hasMessageContaining("30_example.sql line 1")
                .hasMessageContaining("INSERT INTO");
    }
}
