package dev.flinkelt.raw;

import dev.flinkelt.config.TableRef;
import dev.flinkelt.support.TestDatabases;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The pause records every stage shares, on a real warehouse. */
class PausedTablesITCase {
    static final TableRef ITEMS = TableRef.parse("public.items");

    @Test
    void aLatePauseFromBeforeAResumptionLeavesTheTableResumedALaterOnePausesItAgain()
            throws Exception {
        TestDatabases p = new TestDatabases("pausedtables");
        try (Connection dst = p.dst()) {
            RawTables.ensure(dst, "raw", List.of(), List.of(), false);
            PausedTables.pause(dst, "raw", ITEMS, 100, "42704", "a type the warehouse lacks");
            assertThat(pause(dst).paused()).isTrue();
            assertThat(pause(dst).sinceLsn()).isEqualTo(100);

            assertThat(PausedTables.resume(dst, "raw", ITEMS, 200)).isTrue();
            // another keyed subtask meets a row of before the resumption only now
            PausedTables.pause(dst, "raw", ITEMS, 150, "42704", "a type the warehouse lacks");
            assertThat(pause(dst).paused()).as("a row the resumption superseded").isFalse();
            assertThat(pause(dst).resumedAt()).isEqualTo(200);

            PausedTables.pause(dst, "raw", ITEMS, 250, "42704", "a type the warehouse lacks");
            assertThat(pause(dst).paused()).as("a row after the resumption").isTrue();
            assertThat(pause(dst).sinceLsn()).isEqualTo(250);
            PausedTables.pause(dst, "raw", ITEMS, 300, "22P02", "another");
            assertThat(pause(dst).sinceLsn())
                    .as("the first record of a pause stays")
                    .isEqualTo(250);
        }
    }

    private static PausedTables.Pause pause(Connection dst) throws Exception {
        return PausedTables.read(dst, "raw").get(ITEMS.dotted());
    }
}
