package dev.flinkelt.pg;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import static org.assertj.core.api.Assertions.assertThat;

class SqlErrorsTest {
    /**
     * A server error as pgjdbc parses it from the wire: fields of one letter each, NUL-separated.
     */
    static PSQLException error(String... fields) {
        return new PSQLException(new ServerErrorMessage(String.join("\u0000", fields) + "\u0000"));
    }

    @Test
    void aRefusedValueIsDescribedWithoutTheValue() {
        PSQLException e =
                error(
                        "SERROR",
                        "C22P02",
                        "Minvalid input syntax for type integer: \"SECRET\"",
                        "WCOPY public__t, line 3, column qty: \"SECRET\"");
        assertThat(SqlErrors.isRowLevel(e)).isTrue();
        assertThat(SqlErrors.describe(e))
                .isEqualTo("SQLSTATE 22P02 invalid_text_representation, column qty")
                .doesNotContain("SECRET");
        assertThat(SqlErrors.copyLine(e)).isEqualTo(3);
        assertThat(e.getMessage())
                .as("pgjdbc's own message quotes the value: never shown")
                .contains("SECRET");
    }

    @Test
    void aConstraintViolationNamesTheConstraint() {
        PSQLException e =
                error(
                        "SERROR",
                        "C23514",
                        "Mnew row for relation \"t\" violates check constraint \"small\"",
                        "DFailing row contains (SECRET).",
                        "nsmall",
                        "WCOPY t, line 1: \"SECRET\"");
        assertThat(SqlErrors.describe(e))
                .isEqualTo("SQLSTATE 23514 check_violation, constraint small");
        assertThat(SqlErrors.serverMessage(e))
                .isEqualTo("new row for relation \"t\" violates check constraint \"small\"");
        assertThat(SqlErrors.copyLine(e)).isEqualTo(1);
    }

    @Test
    void errorsThatAreNotAboutARowKeepTheirMessageAndAreNotIsolated() {
        PSQLException e =
                error("SFATAL", "C57P01", "Mterminating connection due to administrator command");
        assertThat(SqlErrors.isRowLevel(e)).isFalse();
        assertThat(SqlErrors.describe(e))
                .isEqualTo("SQLSTATE 57P01: terminating connection due to administrator command");
        PSQLException missingColumn =
                error("SERROR", "C42703", "Mcolumn \"price\" of relation \"t\" does not exist");
        assertThat(SqlErrors.isRowLevel(missingColumn)).isFalse();
        assertThat(SqlErrors.copyLine(missingColumn)).isEqualTo(-1);
    }

    @Test
    void failuresChainTheCauseOnlyWhenItsMessageIsSafe() {
        assertThat(
                        SqlErrors.failure(
                                "x",
                                error(
                                        "SERROR",
                                        "C23505",
                                        "Mduplicate key value",
                                        "DKey (id)=(SECRET) already exists.")))
                .hasNoCause()
                .hasMessage("x: SQLSTATE 23505 unique_violation");
        assertThat(
                        SqlErrors.failure("x", error("SFATAL", "C08006", "Mconnection failure"))
                                .getCause())
                .isNotNull();
    }
}
