package dev.flinkelt.track;

import dev.flinkelt.config.TableRef;
import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.pg.SourceCatalog;
import dev.flinkelt.pg.TableSchema;
import dev.flinkelt.support.TestDatabases;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dev.flinkelt.support.TestDatabases.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A snapshot window's tables split into key ranges and read on several connections: every row is
 * read exactly once across the windows, whatever the key (composite, quoted names, repeated or NULL
 * configured keys), and a range that cannot be read fails its table alone.
 */
class RangeReadsITCase {
    private static TestDatabases db;
    private static final List<Connection> readers = new ArrayList<>();
    private static ExecutorService pool;

    @BeforeAll
    static void tables() throws Exception {
        db = new TestDatabases("ranges");
        try (Connection src = db.src()) {
            exec(
                    src,
                    "CREATE TABLE public.ids (id bigint PRIMARY KEY, v text)",
                    "INSERT INTO public.ids SELECT g, 'v ' || g FROM generate_series(1, 10) g",
                    "CREATE TABLE public.pairs (\"k \"\"1\"\"\" text, \"K2\" int, v int,"
                            + " PRIMARY KEY (\"k \"\"1\"\"\", \"K2\"))",
                    "INSERT INTO public.pairs SELECT chr(8364) || ' ''q'' ' || (g % 7), g, g"
                            + " FROM generate_series(1, 500) g",
                    // a configured key: repeated values and NULLs
                    "CREATE TABLE public.events (grp int, note text)",
                    "INSERT INTO public.events SELECT g % 13, 'n' || g FROM generate_series(1, 300) g",
                    "INSERT INTO public.events SELECT NULL, 'null ' || g FROM generate_series(1, 5) g",
                    "CREATE TABLE public.other (id int PRIMARY KEY)",
                    "INSERT INTO public.other SELECT generate_series(1, 50)",
                    "CREATE TABLE public.empty (id int PRIMARY KEY)",
                    // twice the window: the second split counts exactly the window, the third none
                    "CREATE TABLE public.exact (id int PRIMARY KEY)",
                    "INSERT INTO public.exact SELECT generate_series(1, 74)",
                    // may read every column but the key, or only the key
                    "CREATE TABLE public.guarded (id int PRIMARY KEY, secret text)",
                    "INSERT INTO public.guarded SELECT g, 's' FROM generate_series(1, 5) g",
                    "CREATE ROLE ranges_reader LOGIN",
                    "GRANT USAGE ON SCHEMA public TO ranges_reader",
                    "GRANT SELECT ON public.other TO ranges_reader",
                    "GRANT SELECT (secret) ON public.guarded TO ranges_reader");
        }
        for (int i = 0; i < 2; i++) {
            readers.add(session());
        }
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void close() throws SQLException {
        pool.shutdownNow();
        for (Connection c : readers) {
            c.close();
        }
    }

    @Test
    void aFullWindowIsSplitIntoRangesClosedAtTheNextWindowsStart() throws Exception {
        try (Connection src = session()) {
            RangeReads w = new RangeReads(3);
            RangeReads.Part part = w.plan(src, table(src, "public.ids"), true, null, 10, request());
            // every fourth key, then the last of the ten: the next window starts after it
            assertThat(part.plan.ranges())
                    .extracting(r -> key(r.lower()) + ".." + key(r.upper()))
                    .containsExactly("-..4", "4..8", "8..10");
            assertThat(part.plan.rows()).isEqualTo(10);
            assertThat(part.plan.last()).isFalse();
            assertThat(part.plan.next()).containsExactly("10");
            w.read(src, RangeReadsITCase::reader, pool);
            assertThat(values(part)).containsExactlyInAnyOrderElementsOf(ids(1, 10));
        }
    }

    @Test
    void theTablesLastRangeIsOpenAndTakesRowsWrittenAfterTheSplit() throws Exception {
        try (Connection src = session();
                Connection writer = db.src()) {
            exec(writer, "CREATE TABLE public.growing AS SELECT * FROM public.ids");
            exec(writer, "ALTER TABLE public.growing ADD PRIMARY KEY (id)");
            RangeReads w = new RangeReads(2);
            RangeReads.Part part =
                    w.plan(
                            src,
                            table(src, "public.growing"),
                            true,
                            new String[] {"2"},
                            100,
                            request());
            assertThat(part.plan.ranges())
                    .extracting(r -> key(r.lower()) + ".." + key(r.upper()))
                    .containsExactly("2..-");
            assertThat(part.plan.rows()).isEqualTo(8);
            assertThat(part.plan.last()).isTrue();
            exec(writer, "INSERT INTO public.growing VALUES (11, 'late')");
            w.read(src, RangeReadsITCase::reader, pool);
            assertThat(values(part)).containsExactlyInAnyOrderElementsOf(ids(3, 11));
        }
    }

    @Test
    void windowsOfRangesReadEveryRowOnceWhateverTheKey() throws Exception {
        try (Connection src = session()) {
            for (String table :
                    List.of("public.pairs", "public.events", "public.other", "public.exact")) {
                List<String> key = table.equals("public.events") ? List.of("grp") : List.of();
                TableSchema t =
                        new SourceCatalog(src).describe(TableRef.parse(table), key, Set.of());
                Map<String, Integer> read = new HashMap<>();
                String[] cursor = null;
                int windows = 0;
                boolean last = false;
                while (!last) {
                    assertThat(windows).as(table + ": windows").isLessThan(100);
                    RangeReads w = new RangeReads(3);
                    RangeReads.Part part = w.plan(src, t, key.isEmpty(), cursor, 37, request());
                    w.read(src, RangeReadsITCase::reader, pool);
                    assertThat((Throwable) part.failed()).isNull();
                    values(part).forEach(v -> read.merge(v, 1, Integer::sum));
                    last = part.plan.last();
                    cursor = part.plan.next();
                    windows++;
                }
                Map<String, Integer> expected = new HashMap<>();
                for (String row : copyLines(src, t.ref().quoted())) {
                    expected.merge(row, 1, Integer::sum);
                }
                assertThat(read).as(table).isEqualTo(expected);
                assertThat(windows).as(table).isGreaterThan(1);
                if (table.equals("public.exact")) {
                    assertThat(windows).as("37, 37, then an empty split").isEqualTo(3);
                }
            }
        }
    }

    @Test
    void severalTablesShareAWindowAndAnEmptyOneIsDoneAtOnce() throws Exception {
        try (Connection src = session()) {
            RangeReads w = new RangeReads(3);
            RangeReads.Part other =
                    w.plan(src, table(src, "public.other"), true, null, 1000, request());
            RangeReads.Part empty =
                    w.plan(src, table(src, "public.empty"), true, null, 950, request());
            assertThat(empty.plan.rows()).isZero();
            assertThat(empty.plan.last()).isTrue();
            w.read(src, RangeReadsITCase::reader, pool);
            assertThat(values(other)).hasSize(50);
            assertThat(values(empty)).isEmpty();
        }
    }

    @Test
    void aRangeWhoseTableIsDroppedAfterTheSplitFailsItsTableAlone() throws Exception {
        try (Connection src = session();
                Connection owner = db.src()) {
            exec(owner, "CREATE TABLE public.doomed AS SELECT * FROM public.other");
            exec(owner, "ALTER TABLE public.doomed ADD PRIMARY KEY (id)");
            RangeReads w = new RangeReads(3);
            RangeReads.Part doomed =
                    w.plan(src, table(src, "public.doomed"), true, null, 1000, request());
            RangeReads.Part other =
                    w.plan(src, table(src, "public.other"), true, null, 1000, request());
            exec(owner, "DROP TABLE public.doomed"); // between the split and the reads
            w.read(src, RangeReadsITCase::reader, pool);
            assertThat((Throwable) doomed.failed()).isNotNull();
            assertThat(doomed.failed().getSQLState()).isEqualTo("42P01");
            assertThat((Throwable) other.failed()).isNull();
            assertThat(values(other)).hasSize(50);
        }
    }

    @Test
    void aRangeARoleMayNotReadFailsItsTableAndASplitOfKeysItMayNotReadFailsAtOnce()
            throws Exception {
        try (Connection owner = session();
                Connection role = session("ranges_reader")) {
            TableSchema guarded = table(owner, "public.guarded");
            // the split reads the key only, which the role may not
            assertThatThrownBy(
                            () -> new RangeReads(2).plan(role, guarded, true, null, 10, request()))
                    .isInstanceOf(SQLException.class)
                    .hasFieldOrPropertyWithValue("SQLState", "42501");
            exec(owner, "GRANT SELECT (id) ON public.guarded TO ranges_reader");
            exec(owner, "REVOKE SELECT (secret) ON public.guarded FROM ranges_reader");
            try {
                // now the split can, the ranges (every column) cannot
                RangeReads w = new RangeReads(2);
                RangeReads.Part part = w.plan(role, guarded, true, null, 10, request());
                RangeReads.Part other =
                        w.plan(role, table(owner, "public.other"), true, null, 10, request());
                w.read(role, RangeReadsITCase::reader, pool);
                assertThat(part.failed().getSQLState()).isEqualTo("42501");
                assertThat((Throwable) other.failed()).isNull();
                assertThat(values(other)).hasSize(10);
            } finally {
                exec(owner, "REVOKE SELECT (id) ON public.guarded FROM ranges_reader");
                exec(owner, "GRANT SELECT (secret) ON public.guarded TO ranges_reader");
            }
        }
    }

    /** Reader {@code i}'s connection, numbered from 1 as the snapshotter numbers them. */
    private static Connection reader(int i) {
        return readers.get(i - 1);
    }

    /** A connection set up as the tracker's are (the snapshot's text session). */
    private static Connection session() throws SQLException {
        return session(null);
    }

    /** The same, as {@code role} (null: the tests' superuser). */
    private static Connection session(String role) throws SQLException {
        Connection c = role == null ? db.src() : db.srcAs(role);
        try (Statement st = c.createStatement()) {
            st.execute(Connections.TEXT_SESSION);
        }
        return c;
    }

    private static TableSchema table(Connection src, String name) throws SQLException {
        return new SourceCatalog(src).describe(TableRef.parse(name), List.of(), Set.of());
    }

    private static SnapshotProgress.Request request() {
        return new SnapshotProgress.Request("t", ChangeEvent.NONE, ChangeEvent.NONE, 100);
    }

    private static String key(String[] k) {
        return k == null ? "-" : String.join(",", k);
    }

    /** The part's rows as the COPY text lines they were read as. */
    private static List<String> values(RangeReads.Part part) {
        List<String> out = new ArrayList<>();
        for (ChunkReader.Copied c : part.copied) {
            for (byte[] text : c.texts()) {
                out.add(new String(text, StandardCharsets.UTF_8).stripTrailing());
            }
        }
        return out;
    }

    /** Every row of {@code table} as a COPY text line. */
    private static List<String> copyLines(Connection src, String table) throws Exception {
        StringWriter out = new StringWriter();
        src.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY " + table + " TO STDOUT", out);
        return out.toString().lines().toList();
    }

    private static List<String> ids(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(i + "\tv " + i);
        }
        if (to == 11) {
            out.set(out.size() - 1, "11\tlate");
        }
        return out;
    }
}
