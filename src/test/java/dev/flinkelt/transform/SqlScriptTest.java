package dev.flinkelt.transform;

import dev.flinkelt.config.ConfigException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SqlScript's splitting and locating, beyond what UserSqlTest covers. */
class SqlScriptTest {
    static final Path FILE = Path.of("transforms/40_test.sql");

    static List<SqlScript.Statement> split(String... lines) {
        return SqlScript.split(FILE, String.join("\n", lines));
    }

    static List<String> sql(List<SqlScript.Statement> statements) {
        return statements.stream().map(SqlScript.Statement::sql).toList();
    }

    @Test
    void semicolonsInStringsQuotedNamesAndBackticksDoNotEndAStatement() {
        List<SqlScript.Statement> s = split("SELECT 'a;b' AS \"x;y\", `c;d` FROM t; SELECT 2");

        assertThat(sql(s)).containsExactly("SELECT 'a;b' AS \"x;y\", `c;d` FROM t", "SELECT 2");
    }

    @Test
    void aDoubledQuoteInsideAStringIsAnEscapeNotItsEnd() {
        List<SqlScript.Statement> s =
                split("SELECT 'it''s; fine', 'x' AS e, '' AS empty; SELECT `a``;b` FROM t;");

        assertThat(sql(s))
                .containsExactly(
                        "SELECT 'it''s; fine', 'x' AS e, '' AS empty", "SELECT `a``;b` FROM t");
    }

    @Test
    void commentMarkersInsideStringsAreText() {
        List<SqlScript.Statement> s =
                split("SELECT '--not a comment;' AS x; SELECT '/*' AS y; SELECT '*/' AS z;");

        assertThat(sql(s))
                .containsExactly(
                        "SELECT '--not a comment;' AS x", "SELECT '/*' AS y", "SELECT '*/' AS z");
    }

    @Test
    void commentsAreDroppedWithTheSemicolonsInThem() {
        List<SqlScript.Statement> s =
                split(
                        "-- header; with a semicolon",
                        "SELECT 1 -- trailing; comment",
                        "; /* block;",
                        "   comment; */ SELECT 2;");

        assertThat(sql(s)).containsExactly("SELECT 1", "SELECT 2");
        assertThat(s).extracting(SqlScript.Statement::line).containsExactly(2, 4);
    }

    @Test
    void aBlockCommentInsideAStatementSeparatesWordsAndKeepsItsLineBreaks() {
        List<SqlScript.Statement> s =
                split("SELECT a/**/FROM t;", "SELECT b /* two", "lines */ FROM", "nowhere;");

        assertThat(sql(s)).containsExactly("SELECT a FROM t", "SELECT b \n FROM\nnowhere");
        // Flink's "line 3" of the second statement is the file's line 4
        assertThat(s.get(1).locate("Object 'nowhere' not found at line 3, column 1"))
                .contains("at line 4, column 1");
    }

    @Test
    void aStatementStartsAtItsFirstNonBlankLineAfterCommentsAndBlankLines() {
        List<SqlScript.Statement> s =
                split(
                        "/* a header",
                        "   over three",
                        "   lines */",
                        "",
                        "   -- and a line comment",
                        "  SELECT",
                        "    1;");

        assertThat(s)
                .singleElement()
                .satisfies(
                        st -> {
                            assertThat(st.line()).isEqualTo(6);
                            assertThat(st.sql()).isEqualTo("SELECT\n    1");
                        });
    }

    @Test
    void aStringOverSeveralLinesKeepsTheLinesOfLaterStatementsRight() {
        List<SqlScript.Statement> s =
                split("SELECT 'one", "two", "three' AS s;", "SELECT 2;", "", "SELECT 3");

        assertThat(s).extracting(SqlScript.Statement::line).containsExactly(1, 4, 6);
        assertThat(s.get(0).sql()).isEqualTo("SELECT 'one\ntwo\nthree' AS s");
    }

    @Test
    void emptyStatementsAreSkippedAndTheLastNeedsNoSemicolon() {
        List<SqlScript.Statement> s = split(";;", " ; SELECT 1;;", "SELECT 2", "  ");

        assertThat(sql(s)).containsExactly("SELECT 1", "SELECT 2");
        assertThat(s).extracting(SqlScript.Statement::line).containsExactly(2, 3);
    }

    @Test
    void aLowerCaseStatementSetStaysOneStatementAndTheNextStandsAlone() {
        List<SqlScript.Statement> s =
                split(
                        "execute statement set",
                        "begin",
                        "  INSERT INTO a SELECT 1;",
                        "  INSERT INTO b SELECT ';';",
                        "end;",
                        "INSERT INTO c SELECT 3;");

        assertThat(s).extracting(SqlScript.Statement::line).containsExactly(1, 6);
        assertThat(s).extracting(SqlScript.Statement::keyword).containsExactly("EXECUTE", "INSERT");
        assertThat(SqlScript.inserts(s.get(0)))
                .containsExactly("INSERT INTO a SELECT 1", "INSERT INTO b SELECT ';'");
        assertThat(s.get(1).sql()).isEqualTo("INSERT INTO c SELECT 3");
    }

    @Test
    void loadReadsTheSqlFilesInNameOrderEachWithItsOwnLines(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("20_second.sql"), "\nSELECT 20;");
        Files.writeString(dir.resolve("10_first.sql"), "SELECT 10;\n\nSELECT 11;");
        Files.writeString(dir.resolve("15_notes.txt"), "SELECT 'not sql';");
        Files.writeString(dir.resolve("12_old.sql.bak"), "SELECT 'backup';");
        Files.createDirectory(dir.resolve("30_dir"));

        List<SqlScript.Statement> s = SqlScript.load(dir);

        assertThat(s)
                .extracting(st -> st.file().getFileName() + ":" + st.line() + ":" + st.sql())
                .containsExactly(
                        "10_first.sql:1:SELECT 10",
                        "10_first.sql:3:SELECT 11",
                        "20_second.sql:2:SELECT 20");
    }

    @Test
    void loadRefusesAPathThatIsNotADirectory(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("one.sql"), "SELECT 1;");

        assertThatThrownBy(() -> SqlScript.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("transform.sql-dir");
        assertThatThrownBy(() -> SqlScript.load(dir.resolve("missing")))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void locateMakesEveryStatementRelativeLineOfFlinksMessageRelativeToTheFile() {
        SqlScript.Statement st = new SqlScript.Statement(FILE, 7, "SELECT 1");

        assertThat(
                        st.locate(
                                "Encountered \"FROM\" at line 2, column 3.\nWas expecting one of: ... (from line 1)"))
                .isEqualTo(
                        "40_test.sql line 7: Encountered \"FROM\" at line 8, column 3.\n"
                                + "Was expecting one of: ... (from line 7)");
        assertThat(st.locate("Object 'x' not found"))
                .isEqualTo("40_test.sql line 7: Object 'x' not found");
        assertThat(st.locate(null)).isEqualTo("40_test.sql line 7: ");
    }

    @Test
    void theKeywordIsTheLeadingWordInUpperCase() {
        assertThat(new SqlScript.Statement(FILE, 1, "\n  insert into t select 1").keyword())
                .isEqualTo("INSERT");
        assertThat(
                        new SqlScript.Statement(FILE, 1, "Create TEMPORARY VIEW v AS SELECT 1")
                                .keyword())
                .isEqualTo("CREATE");
        assertThat(new SqlScript.Statement(FILE, 1, "(SELECT 1)").keyword()).isEmpty();
    }
}
