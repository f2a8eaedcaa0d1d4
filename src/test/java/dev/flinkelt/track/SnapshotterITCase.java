package dev.flinkelt.track;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.pg.SourceCatalog;
import dev.flinkelt.pg.TableSchema;
import dev.flinkelt.raw.RawColumns;
import dev.flinkelt.support.TestDatabases;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.flinkelt.support.TestDatabases.exec;
import static org.assertj.core.api.Assertions.assertThat;

/** The snapshotter's windows against a real source, without the stream: its marks are fed in. */
class SnapshotterITCase {

    @Test
    void aWindowWhoseRangesCannotBeReadPausesThatTableAndOpensOnTheTablesWaiting()
            throws Exception {
        TestDatabases p = new TestDatabases("snapshotter");
        try (Connection owner = p.src();
                Connection dst = p.dst()) {
            exec(
                    owner,
                    "CREATE TABLE public.guarded (id int PRIMARY KEY, secret text)",
                    "INSERT INTO public.guarded SELECT g, 's' FROM generate_series(1, 25) g",
                    "CREATE TABLE public.after (id int PRIMARY KEY)",
                    "INSERT INTO public.after SELECT generate_series(1, 5)",
                    // the split of guarded's keys may run, the ranges (every column) may not
                    "CREATE ROLE snapshotter_reader LOGIN REPLICATION",
                    "GRANT USAGE ON SCHEMA public TO snapshotter_reader",
                    "GRANT SELECT (id) ON public.guarded TO snapshotter_reader",
                    "GRANT SELECT ON public.after TO snapshotter_reader");
            PipelineConfig cfg =
                    PipelineConfig.parse(
                            p.yaml("[public.guarded, public.after]", 1) + "\n  snapshot-readers: 2",
                            Map.of());
            List<TableSchema> schemas = new ArrayList<>();
            for (String t : List.of("public.guarded", "public.after")) {
                schemas.add(
                        new SourceCatalog(owner)
                                .describe(TableRef.parse(t), List.of(), RawColumns.METADATA));
            }
            Tracking tracking = Tracking.of(cfg, schemas, 10);
            try (Connection source = session(p, "snapshotter_reader");
                    Connection range = session(p, "snapshotter_reader")) {
                Snapshotter s =
                        new Snapshotter(
                                tracking,
                                new SourceTables(tracking, () -> source, () -> dst),
                                () -> source,
                                i -> range,
                                null);
                List<String> paused = new ArrayList<>();
                s.pauser =
                        (table, lsn, error) ->
                                paused.add(table + " " + ((SQLException) error).getSQLState());
                try {
                    // guarded waits first; the signal for after opens the window
                    s.progress.queue.add(
                            new SnapshotProgress.Request(
                                    "public.guarded", ChangeEvent.NONE, ChangeEvent.NONE, 100));
                    s.onSignal(
                            new Signals.Signal(
                                    cfg.slot,
                                    Signals.SNAPSHOT,
                                    "public.after",
                                    "100",
                                    1_000,
                                    ChangeEvent.NONE,
                                    ChangeEvent.NONE,
                                    1_000),
                            e -> {});
                    assertThat(paused).containsExactly("public.guarded 42501");
                    assertThat(s.progress.window)
                            .as("a window open on the table still waiting")
                            .isNotNull();
                    assertThat(s.progress.windowTables).containsExactly("public.after");
                    assertThat(s.progress.rows).hasSize(5);
                    assertThat(s.progress.queue).isEmpty();
                } finally {
                    s.stop();
                    s.awaitStop();
                }
            }
        }
    }

    @Test
    void aChangeBetweenTheMarksDropsItsKeysRowWhicheverReaderReadIt() throws Exception {
        TestDatabases p = new TestDatabases("snapwindow");
        try (Connection owner = p.src();
                Connection dst = p.dst();
                Connection source = session(p, null);
                Connection range1 = session(p, null);
                Connection range2 = session(p, null)) {
            exec(
                    owner,
                    "CREATE TABLE public.items (id int PRIMARY KEY, v text)",
                    "INSERT INTO public.items SELECT g, 'v' || g FROM generate_series(1, 30) g");
            PipelineConfig cfg =
                    PipelineConfig.parse(
                            p.yaml("[public.items]", 1) + "\n  snapshot-readers: 3", Map.of());
            Tracking tracking =
                    Tracking.of(
                            cfg,
                            List.of(
                                    new SourceCatalog(owner)
                                            .describe(
                                                    TableRef.parse("public.items"),
                                                    List.of(),
                                                    RawColumns.METADATA)),
                            10);
            List<Connection> ranges = List.of(range1, range2);
            Snapshotter s =
                    new Snapshotter(
                            tracking,
                            new SourceTables(tracking, () -> source, () -> dst),
                            () -> source,
                            i -> ranges.get(i - 1),
                            null);
            try {
                s.onSignal(signal(cfg, Signals.SNAPSHOT, "100"), e -> {});
                String window = s.progress.window;
                // ids 1..10 in three ranges, (-, 4], (4, 8], (8, 10], each read by another reader
                List<String> keys = new ArrayList<>(s.progress.rows.keySet());
                assertThat(keys).hasSize(10);
                s.onSignal(signal(cfg, Signals.LOW, window), e -> {});
                for (String key : List.of(keys.get(1), keys.get(8))) {
                    ChangeEvent change = new ChangeEvent();
                    change.table = "public.items";
                    change.key = key;
                    change.op = ChangeEvent.UPDATE;
                    s.onChange(change);
                }
                List<String> out = new ArrayList<>();
                s.onSignal(signal(cfg, Signals.HIGH, window), e -> out.add(e.key));
                assertThat(out)
                        .as("the window's rows but ids 2 and 9, which their changes supersede")
                        .containsExactlyInAnyOrderElementsOf(
                                keys.stream()
                                        .filter(
                                                k ->
                                                        !k.equals(keys.get(1))
                                                                && !k.equals(keys.get(8)))
                                        .toList());
                assertThat(s.progress.rows).as("the next window, ids 11..20").hasSize(10);
            } finally {
                s.stop();
                s.awaitStop();
            }
        }
    }

    private static Signals.Signal signal(PipelineConfig cfg, String kind, String arg) {
        return new Signals.Signal(
                cfg.slot,
                kind,
                "public.items",
                arg,
                1_000,
                ChangeEvent.NONE,
                ChangeEvent.NONE,
                1_000);
    }

    /**
     * A source connection as {@code role} (null: the tests' superuser), set up as the tracker's
     * are.
     */
    private static Connection session(TestDatabases p, String role) throws SQLException {
        Connection c = role == null ? p.src() : p.srcAs(role);
        try (Statement st = c.createStatement()) {
            st.execute(Connections.TEXT_SESSION);
        }
        return c;
    }
}
