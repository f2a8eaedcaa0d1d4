package dev.flinkelt.it;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.load.TargetPreparer;
import dev.flinkelt.pg.LiveColumn;
import dev.flinkelt.schema.Mapping;
import dev.flinkelt.schema.SchemaChanges;
import dev.flinkelt.schema.SchemaTarget;
import dev.flinkelt.support.TestDatabases;
import dev.flinkelt.track.SourcePreparer;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static dev.flinkelt.support.TestDatabases.exec;
import static dev.flinkelt.support.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A row the keyed stage held while other subtasks changed its raw column's type several times
 * (Debezium's numeric fixture: numeric(5,2) → (6,1) → numeric → (12,4) → (12,0) → numeric) must end
 * as the source's row did, converted through every type, not parsed into the last one. Against real
 * servers: the pin keeps a type change off the raw table until it ends, and a row mapped before it
 * was held is converted through the types recorded since its layout.
 */
class HeldRowsRetypeITCase {
    static final String TABLE = "public.nums";
    static final String[] COLUMNS = {"pk", "num_val"};

    @Test
    void aHeldRowIsConvertedThroughEveryLaterTypeAndAPinKeepsTypeChangesOff() throws Exception {
        TestDatabases p = new TestDatabases("held_retype");
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            SchemaTarget target = prepared(p, src, "numeric(5,2)");

            // the source as the fixture leaves it: each row converted through every later type;
            // each layout's types as the catalog gives them after its change
            List<String[]> steps = new ArrayList<>();
            steps.add(layout(src));
            exec(src, "INSERT INTO public.nums VALUES (1, 123.45)");
            for (String type :
                    List.of("numeric(6,1)", "numeric", "numeric(12,4)", "numeric(12,0)")) {
                exec(src, "ALTER TABLE public.nums ALTER COLUMN num_val TYPE " + type);
                steps.add(layout(src));
                if (steps.size() == 2) {
                    exec(src, "INSERT INTO public.nums VALUES (2, 123.41)");
                } else if (steps.size() == 3) {
                    exec(src, "INSERT INTO public.nums VALUES (3, 123.4567)");
                }
            }
            exec(src, "ALTER TABLE public.nums ALTER COLUMN num_val TYPE numeric");
            steps.add(layout(src));
            exec(src, "INSERT INTO public.nums VALUES (6, 1225.1)");
            String[][] layouts = steps.toArray(new String[0][]);
            assertThat(rows(src, "SELECT num_val::text FROM public.nums ORDER BY pk"))
                    .containsExactly("124", "123", "123", "1225.1");

            try (SchemaChanges tracker = new SchemaChanges(target, "tracker");
                    SchemaChanges keyed = new SchemaChanges(target, "keyed 0");
                    SchemaChanges ddl = new SchemaChanges(target, "ddl 1")) {
                // the source tracker meets the layouts in stream order and records their types
                for (int k = 1; k < layouts.length; k++) {
                    assertThat(tracker.mapping(TABLE, COLUMNS, layouts[k], 100L * (k + 1)))
                            .isNull();
                }
                // key 1's row, mapped by the source while the raw column was numeric(5,2), and
                // key 3's, of the unconstrained layout: both then held on this subtask
                ChangeEvent one = mapped(keyed, row("1", "123.45", 150, layouts[0]));
                ChangeEvent three = row("3", "123.4567", 350, layouts[2]);
                ChangeEvent six = row("6", "1225.1", 650, layouts[5]);

                // while held rows go out under the pin, another subtask's type change waits
                assertThat(keyed.pin(TABLE)).isTrue();
                assertThat(ddl.apply(TABLE, COLUMNS, layouts[5], 600))
                        .as("the type change runs into the pin's lock")
                        .isFalse();
                try (Statement st = dst.createStatement()) {
                    // the sink's writes and the transform's reads go on meanwhile
                    dst.setAutoCommit(false);
                    st.execute("SET LOCAL lock_timeout = '1s'");
                    st.execute("LOCK TABLE raw.public__nums IN ROW EXCLUSIVE MODE");
                    dst.rollback();
                    dst.setAutoCommit(true);
                }
                keyed.unpin();
                assertThat(ddl.apply(TABLE, COLUMNS, layouts[5], 600)).isTrue();
                assertThat(
                                rows(
                                        dst,
                                        "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                                                + " WHERE attrelid = 'raw.public__nums'::regclass AND attname = 'num_val'"))
                        .containsExactly("numeric");

                // released now, pinned: each converted as the source converted its row
                assertThat(keyed.pin(TABLE)).isTrue();
                keyed.reconvert(one);
                assertThat(one.values[1]).isEqualTo("124"); // not 123.45, nor 123
                ChangeEvent threeMapped = mapped(keyed, three);
                assertThat(threeMapped.values[1]).isEqualTo("123"); // not 123.4567
                ChangeEvent sixMapped = mapped(keyed, six);
                keyed.reconvert(sixMapped); // of the column's own layout: as it is
                assertThat(sixMapped.values[1]).isEqualTo("1225.1");
                keyed.unpin();
            }
        }
    }

    @Test
    void aHeldRowFromBeforeAColumnsFirstTypeChangeIsConvertedFromItsOwnType() throws Exception {
        TestDatabases p = new TestDatabases("held_first");
        try (Connection src = p.src()) {
            SchemaTarget target = prepared(p, src, "numeric(6,2)");
            String[] before = layout(src);
            exec(
                    src,
                    "INSERT INTO public.nums VALUES (1, 1.50)",
                    "ALTER TABLE public.nums ALTER COLUMN num_val TYPE integer");
            String[] after = layout(src);
            assertThat(rows(src, "SELECT num_val::text FROM public.nums")).containsExactly("2");

            try (SchemaChanges tracker = new SchemaChanges(target, "tracker");
                    SchemaChanges keyed = new SchemaChanges(target, "keyed 0");
                    SchemaChanges ddl = new SchemaChanges(target, "ddl 1")) {
                // mapped by the source while the column was numeric(6,2), then held
                ChangeEvent one = mapped(keyed, row("1", "1.50", 150, before));
                assertThat(tracker.mapping(TABLE, COLUMNS, after, 200)).isNull();
                assertThat(ddl.apply(TABLE, COLUMNS, after, 200)).isTrue();

                assertThat(keyed.pin(TABLE)).isTrue();
                keyed.reconvert(one);
                // from numeric(6,2), as the source's cast rounded it; as text it would not parse
                assertThat(one.values[1]).isEqualTo("2");
                keyed.unpin();
            }
        }
    }

    /** public.nums (pk, num_val of {@code type}) in the source, its raw table in the warehouse. */
    static SchemaTarget prepared(TestDatabases p, Connection src, String type) throws Exception {
        exec(src, "CREATE TABLE public.nums (pk int PRIMARY KEY, num_val " + type + ")");
        PipelineConfig cfg = p.config("['public.nums']", 2);
        SourcePreparer.Result prepared = new SourcePreparer(cfg).prepare(true);
        new TargetPreparer(cfg).prepare(prepared.tables(), prepared.userTypes());
        return SchemaTarget.of(cfg, prepared.tables());
    }

    /** public.nums's column types now, as the change stream names them. */
    static String[] layout(Connection src) throws SQLException {
        return LiveColumn.read(src, "public.nums").stream()
                .map(c -> c.type().encode())
                .toArray(String[]::new);
    }

    static ChangeEvent row(String pk, String value, long lsn, String[] types) {
        ChangeEvent e = new ChangeEvent();
        e.table = TABLE;
        e.key = TABLE + "|" + pk;
        e.op = ChangeEvent.INSERT;
        e.lsn = lsn;
        e.values = new String[] {pk, value};
        e.columns = COLUMNS.clone();
        e.types = types;
        e.layout = 1;
        return e;
    }

    static ChangeEvent mapped(SchemaChanges changes, ChangeEvent e) throws SQLException {
        Mapping m = changes.mapping(e.table, e.columns, e.types, e.lsn);
        assertThat(m).as("layout of %s maps", e.lsn).isNotNull();
        m.apply(e);
        changes.finish(m, e);
        return e;
    }
}
