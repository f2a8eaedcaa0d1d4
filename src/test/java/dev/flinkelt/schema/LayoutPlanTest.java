package dev.flinkelt.schema;

import dev.flinkelt.pg.ColumnType;
import dev.flinkelt.pg.LiveColumn;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LayoutPlanTest {
    static final String RAW = "\"raw\".\"public__items\"";

    static LiveColumn builtin(String name, String type, int typmod, String formatted) {
        return new LiveColumn(
                name,
                "pg_catalog",
                type,
                typmod,
                formatted,
                'b',
                false,
                "pg_catalog",
                type,
                null,
                false);
    }

    static LiveColumn commented(LiveColumn c, String comment) {
        return new LiveColumn(
                c.name(),
                c.typeSchema(),
                c.typeName(),
                c.typmod(),
                c.formatted(),
                c.baseKind(),
                c.array(),
                c.baseSchema(),
                c.baseName(),
                comment,
                false);
    }

    static final LiveColumn ID = builtin("id", "int4", -1, "integer");
    static final LiveColumn QTY = builtin("qty", "int4", -1, "integer");
    static final LiveColumn NAME10 = builtin("name", "varchar", 14, "character varying(10)");

    /** A raw table: the source columns given, then the metadata columns. */
    static List<LiveColumn> raw(LiveColumn... columns) {
        List<LiveColumn> out = new ArrayList<>(List.of(columns));
        out.add(builtin("_op", "bpchar", 5, "character(1)"));
        out.add(builtin("_lsn", "int8", -1, "bigint"));
        return out;
    }

    @Test
    void aLayoutTheRawTableAlreadyHasMapsByNameWithoutDdl() {
        LayoutPlan p =
                LayoutPlan.of(RAW, List.of("qty", "id"), null, List.of(ID, QTY), raw(ID, QTY), 100);
        assertThat(p.statements()).isEmpty();
        assertThat(p.positions()).containsExactly(1, 0);
        assertThat(p.rawColumns()).extracting(LiveColumn::name).containsExactly("id", "qty");
    }

    @Test
    void anAddedColumnIsAddedWithTheSourceType() {
        LiveColumn price = builtin("price", "numeric", (10 << 16 | 2) + 4, "numeric(10,2)");
        LayoutPlan p =
                LayoutPlan.of(
                        RAW,
                        List.of("id", "qty", "price"),
                        null,
                        List.of(ID, QTY, price),
                        raw(ID, QTY),
                        100);
        assertThat(p.statements())
                .containsExactly(
                        "ALTER TABLE " + RAW + " ADD COLUMN \"price\" numeric(10,2)",
                        "COMMENT ON COLUMN "
                                + RAW
                                + ".\"price\" IS 'flink-elt:{\"added_at\":100}'");
        // once added, the new column comes after the metadata columns and maps without DDL
        LayoutPlan after =
                LayoutPlan.of(
                        RAW,
                        List.of("id", "qty", "price"),
                        null,
                        List.of(ID, QTY, price),
                        raw(ID, QTY, price),
                        100);
        assertThat(after.statements()).isEmpty();
        assertThat(after.positions()).containsExactly(0, 1, 2);
    }

    @Test
    void aDroppedColumnStaysAndIsMarkedOnceWithThePosition() {
        LayoutPlan p = LayoutPlan.of(RAW, List.of("id"), null, List.of(ID), raw(ID, QTY), 4242);
        assertThat(p.statements())
                .containsExactly(
                        "COMMENT ON COLUMN "
                                + RAW
                                + ".\"qty\" IS 'flink-elt:{\"not_sent_since\":4242}'");
        LiveColumn marked = commented(QTY, "flink-elt:{\"not_sent_since\":4242}");
        LayoutPlan after =
                LayoutPlan.of(RAW, List.of("id"), null, List.of(ID), raw(ID, marked), 5000);
        assertThat(after.statements()).isEmpty();
        assertThat(after.positions()).containsExactly(0);
        // sent again (re-added under the same name and type): the mark goes
        assertThat(
                        LayoutPlan.of(
                                        RAW,
                                        List.of("id", "qty"),
                                        null,
                                        List.of(ID, QTY),
                                        raw(ID, marked),
                                        6000)
                                .statements())
                .containsExactly("COMMENT ON COLUMN " + RAW + ".\"qty\" IS NULL");
    }

    @Test
    void aRenameAddsTheNewNameAndMarksTheOldOne() {
        LiveColumn amount = builtin("amount", "int4", -1, "integer");
        LayoutPlan p =
                LayoutPlan.of(
                        RAW, List.of("id", "amount"), null, List.of(ID, amount), raw(ID, QTY), 77);
        assertThat(p.statements())
                .containsExactlyInAnyOrder(
                        "ALTER TABLE " + RAW + " ADD COLUMN \"amount\" integer",
                        "COMMENT ON COLUMN " + RAW + ".\"amount\" IS 'flink-elt:{\"added_at\":77}'",
                        "COMMENT ON COLUMN "
                                + RAW
                                + ".\"qty\" IS 'flink-elt:{\"not_sent_since\":77}'");
    }

    @Test
    void wideningTypeChangesAlterTheRawColumn() {
        LiveColumn big = builtin("qty", "int8", -1, "bigint");
        assertThat(
                        LayoutPlan.of(
                                        RAW,
                                        List.of("id", "qty"),
                                        null,
                                        List.of(ID, big),
                                        raw(ID, QTY),
                                        1)
                                .statements())
                .containsExactly("ALTER TABLE " + RAW + " ALTER COLUMN \"qty\" TYPE bigint");
        LiveColumn name20 = builtin("name", "varchar", 24, "character varying(20)");
        assertThat(
                        LayoutPlan.of(RAW, List.of("name"), null, List.of(name20), raw(NAME10), 1)
                                .statements())
                .containsExactly(
                        "ALTER TABLE " + RAW + " ALTER COLUMN \"name\" TYPE character varying(20)");
        LiveColumn text = builtin("name", "text", -1, "text");
        assertThat(
                        LayoutPlan.of(RAW, List.of("name"), null, List.of(text), raw(NAME10), 1)
                                .statements())
                .containsExactly("ALTER TABLE " + RAW + " ALTER COLUMN \"name\" TYPE text");
        LiveColumn wider = builtin("p", "numeric", (12 << 16 | 2) + 4, "numeric(12,2)");
        LiveColumn narrow = builtin("p", "numeric", (10 << 16 | 2) + 4, "numeric(10,2)");
        assertThat(Widening.widens(narrow, wider)).isTrue();
        assertThat(Widening.widens(wider, narrow)).isFalse();
        assertThat(Widening.widens(narrow, builtin("p", "numeric", -1, "numeric")))
                .as("unconstrained keeps each value's scale")
                .isTrue();
        assertThat(
                        Widening.widens(
                                narrow,
                                builtin("p", "numeric", (12 << 16 | 3) + 4, "numeric(12,3)")))
                .as("1.50 would read 1.500")
                .isFalse();
        assertThat(
                        Widening.widens(
                                builtin("f", "float4", -1, "real"),
                                builtin("f", "float8", -1, "double precision")))
                .as("1.1 would read 1.10000002384186")
                .isFalse();
        assertThat(
                        Widening.widens(
                                builtin("p", "numeric", (10 << 16 | 2) + 4, ""),
                                builtin("p", "numeric", (10 << 16 | 4) + 4, "")))
                .as("more scale but fewer integer digits")
                .isFalse();
        assertThat(Widening.widens(QTY, builtin("qty", "int2", -1, "smallint"))).isFalse();
        assertThat(Widening.widens(NAME10, builtin("name", "varchar", 8, "character varying(4)")))
                .isFalse();
    }

    @Test
    void anyOtherTypeChangeContinuesInANewMarkedColumnAndLaterLayoutsFindIt() {
        LiveColumn asText = builtin("qty", "text", -1, "text");
        LayoutPlan p =
                LayoutPlan.of(
                        RAW, List.of("id", "qty"), null, List.of(ID, asText), raw(ID, QTY), 900);
        assertThat(p.statements())
                .containsExactlyInAnyOrder(
                        "ALTER TABLE " + RAW + " ADD COLUMN \"qty__text\" text",
                        "COMMENT ON COLUMN "
                                + RAW
                                + ".\"qty__text\" IS 'flink-elt:{\"continues\":\"qty\",\"since\":900}'",
                        "COMMENT ON COLUMN "
                                + RAW
                                + ".\"qty\" IS 'flink-elt:{\"not_sent_since\":900}'");
        LiveColumn continued =
                commented(
                        builtin("qty__text", "text", -1, "text"),
                        "flink-elt:{\"continues\":\"qty\",\"since\":900}");
        LiveColumn oldMarked = commented(QTY, "flink-elt:{\"not_sent_since\":900}");
        LayoutPlan after =
                LayoutPlan.of(
                        RAW,
                        List.of("id", "qty"),
                        null,
                        List.of(ID, asText),
                        raw(ID, oldMarked, continued),
                        1000);
        assertThat(after.statements()).isEmpty();
        assertThat(after.positions()).containsExactly(0, 2);
    }

    @Test
    void aSourceColumnNamedLikeAMetadataColumnContinuesBesideIt() {
        LiveColumn op = builtin("_op", "text", -1, "text");
        LayoutPlan p = LayoutPlan.of(RAW, List.of("id", "_op"), null, List.of(ID, op), raw(ID), 5);
        assertThat(p.statements())
                .contains("ALTER TABLE " + RAW + " ADD COLUMN \"_op__text\" text");
    }

    @Test
    void continuationNamesFitPostgresIdentifiersAndDoNotCollide() {
        String longName = "é".repeat(40); // 80 bytes
        Set<String> taken = new HashSet<>();
        String first =
                LayoutPlan.continuationName(longName, builtin(longName, "text", -1, "text"), taken);
        assertThat(first.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
        assertThat(first).endsWith("__text");
        taken.add(first);
        assertThat(
                        LayoutPlan.continuationName(
                                longName, builtin(longName, "text", -1, "text"), taken))
                .endsWith("__text_2")
                .isNotEqualTo(first);
    }

    @Test
    void enumAndArrayTypesAreNamedWithTheirSchema() {
        LiveColumn mood =
                new LiveColumn(
                        "m", "public", "mood", -1, "mood", 'e', false, "public", "mood", null,
                        false);
        LiveColumn moods =
                new LiveColumn(
                        "ms", "public", "_mood", -1, "mood[]", 'e', true, "public", "mood", null,
                        false);
        assertThat(LayoutPlan.ddlType(mood)).isEqualTo("\"public\".\"mood\"");
        assertThat(LayoutPlan.ddlType(moods)).isEqualTo("\"public\".\"mood\"[]");
        assertThat(LayoutPlan.ddlType(builtin("a", "_int4", -1, "integer[]")))
                .isEqualTo("integer[]");
        assertThat(
                        LayoutPlan.of(RAW, List.of("id", "m"), null, List.of(ID, mood), raw(ID), 1)
                                .newTypes())
                .containsExactly(mood);
    }

    @Test
    void enumLabelsAreFoundInArrayLiterals() {
        assertThat(EnumLabels.elements("{happy,\"very sad\",NULL,\"NULL\",\"a\\\"b\"}"))
                .containsExactly("happy", "very sad", "NULL", "a\"b");
        assertThat(EnumLabels.elements("{{a,b},{c,NULL}}")).containsExactly("a", "b", "c");
        assertThat(EnumLabels.elements("{}")).isEmpty();
    }

    @Test
    void theTypeARowCarriesDecidesWhenTheCatalogIsAlreadyAheadOfTheStream() {
        LiveColumn price = builtin("price", "numeric", (10 << 16 | 2) + 4, "numeric(10,2)");
        LiveColumn priceNowText = builtin("price", "text", -1, "text");
        String[] numericRow = {"int4", "numeric"};
        // rows written before the source changed price to text still map onto the numeric column,
        // without DDL
        LayoutPlan before =
                LayoutPlan.of(
                        RAW,
                        List.of("id", "price"),
                        numericRow,
                        List.of(ID, priceNowText),
                        raw(ID, price),
                        10);
        assertThat(before.statements()).isEmpty();
        // the first row that carries text continues in price__text
        assertThat(
                        LayoutPlan.of(
                                        RAW,
                                        List.of("id", "price"),
                                        new String[] {"int4", "text"},
                                        List.of(ID, priceNowText),
                                        raw(ID, price),
                                        20)
                                .statements())
                .contains("ALTER TABLE " + RAW + " ADD COLUMN \"price__text\" text");
        // a column added while the catalog already shows a later type gets the type its rows have
        // (without modifiers)
        assertThat(
                        LayoutPlan.of(
                                        RAW,
                                        List.of("id", "price"),
                                        numericRow,
                                        List.of(ID, priceNowText),
                                        raw(ID),
                                        30)
                                .statements())
                .contains("ALTER TABLE " + RAW + " ADD COLUMN \"price\" numeric");
        // an int4 row while the catalog shows int8 waits for the rows that are int8
        LiveColumn big = builtin("qty", "int8", -1, "bigint");
        assertThat(
                        LayoutPlan.of(
                                        RAW,
                                        List.of("id", "qty"),
                                        new String[] {"int4", "int4"},
                                        List.of(ID, big),
                                        raw(ID, QTY),
                                        40)
                                .statements())
                .isEmpty();
        assertThat(
                        LayoutPlan.of(
                                        RAW,
                                        List.of("id", "qty"),
                                        new String[] {"int4", "int8"},
                                        List.of(ID, big),
                                        raw(ID, QTY),
                                        50)
                                .statements())
                .containsExactly("ALTER TABLE " + RAW + " ALTER COLUMN \"qty\" TYPE bigint");
    }

    @Test
    void anOlderLayoutLackingAColumnTheSourceStillHasMarksNothing() {
        LiveColumn price = builtin("price", "numeric", -1, "numeric");
        // a replay after a restart, or a stream behind the catalog: rows from before price was
        // added
        LayoutPlan p =
                LayoutPlan.of(
                        RAW,
                        List.of("id", "qty"),
                        null,
                        List.of(ID, QTY, price),
                        raw(ID, QTY, price),
                        10);
        assertThat(p.statements()).isEmpty();
        assertThat(p.positions()).containsExactly(0, 1);
    }

    @Test
    void aModifierChangeTheRawColumnDoesNotCoverContinuesInsteadOfRoundingValues() {
        LiveColumn raw = builtin("p", "numeric", (10 << 16 | 2) + 4, "numeric(10,2)");
        LiveColumn moreScale = builtin("p", "numeric", (12 << 16 | 4) + 4, "numeric(12,4)");
        // same type name, but numeric(10,2) would round 1.2345 to 1.23
        assertThat(
                        LayoutPlan.of(
                                        RAW,
                                        List.of("p"),
                                        new String[] {"numeric"},
                                        List.of(moreScale),
                                        raw(raw),
                                        5)
                                .statements())
                .contains("ALTER TABLE " + RAW + " ADD COLUMN \"p__numeric\" numeric(12,4)");
        LiveColumn ts0 = builtin("t", "timestamp", 0, "timestamp(0) without time zone");
        LiveColumn ts6 = builtin("t", "timestamp", -1, "timestamp without time zone");
        assertThat(
                        LayoutPlan.of(
                                        RAW,
                                        List.of("t"),
                                        new String[] {"timestamp"},
                                        List.of(ts6),
                                        raw(ts0),
                                        5)
                                .statements())
                .containsExactly(
                        "ALTER TABLE "
                                + RAW
                                + " ALTER COLUMN \"t\" TYPE timestamp without time zone");
        // a narrower varchar fits the raw column as it is
        LiveColumn v5 = builtin("name", "varchar", 9, "character varying(5)");
        assertThat(
                        LayoutPlan.of(
                                        RAW,
                                        List.of("name"),
                                        new String[] {"varchar"},
                                        List.of(v5),
                                        raw(NAME10),
                                        5)
                                .statements())
                .isEmpty();
        assertThat(
                        Widening.holds(
                                builtin("n", "numeric", -1, "numeric"),
                                builtin("n", "text", -1, "text")))
                .isFalse();
        assertThat(
                        Widening.holds(
                                builtin("n", "varchar", -1, "character varying"),
                                builtin("n", "int4", -1, "integer")))
                .isFalse();
    }

    @Test
    void enumLabelsAddedAtTheFrontAreAnchoredToALabelTheWarehouseHas() {
        List<String> source = List.of("bad", "sad", "ok");
        Set<String> warehouse = new HashSet<>(Set.of("ok"));
        assertThat(SchemaChanges.place(source, 0, warehouse)).isEqualTo(" BEFORE 'ok'");
        warehouse.add("bad");
        assertThat(SchemaChanges.place(source, 1, warehouse)).isEqualTo(" AFTER 'bad'");
        assertThat(SchemaChanges.place(List.of("x"), 0, new HashSet<>())).isEmpty();
    }

    @Test
    void rowsFromBeforeAWideningMapOntoTheWidenedColumn() {
        LiveColumn big = builtin("qty", "int8", -1, "bigint");
        // the raw column is bigint already (another subtask followed the change first); integer
        // rows still arrive
        assertThat(
                        LayoutPlan.of(
                                        RAW,
                                        List.of("id", "qty"),
                                        new String[] {"int4", "int4"},
                                        List.of(ID, big),
                                        raw(ID, big),
                                        60)
                                .statements())
                .isEmpty();
        assertThat(
                        LayoutPlan.of(
                                        RAW,
                                        List.of("id", "qty"),
                                        new String[] {"int4", "int4"},
                                        List.of(ID, QTY),
                                        raw(ID, big),
                                        60)
                                .statements())
                .isEmpty();
    }

    static String streamed(int precision, int scale) {
        int typmod = precision < 0 ? -1 : (precision << 16 | scale) + 4;
        String formatted = precision < 0 ? "numeric" : "numeric(" + precision + "," + scale + ")";
        return new ColumnType(
                        "pg_catalog",
                        "numeric",
                        typmod,
                        formatted,
                        'b',
                        false,
                        "pg_catalog",
                        "numeric")
                .encode();
    }

    @Test
    void aLayoutThatReachesTheKeyedStageFirstRetypesThroughEveryTypeTheStreamGaveBefore() {
        LiveColumn num52 =
                commented(
                        builtin("num_val", "numeric", (5 << 16 | 2) + 4, "numeric(5,2)"),
                        "flink-elt:{\"added_at\":10}");
        // the source went numeric(5,2) -> numeric(6,1) -> numeric -> numeric(12,0): its rows were
        // rounded at each step, so the raw column must be too (123.45 -> 123.5 -> 124, not 123)
        List<LayoutPlan.Typed> recorded =
                List.of(
                        new LayoutPlan.Typed(20, "numeric(6,1)"),
                        new LayoutPlan.Typed(30, "numeric"),
                        new LayoutPlan.Typed(40, "numeric(12,0)"));
        LayoutPlan p =
                LayoutPlan.of(
                        RAW,
                        List.of("id", "num_val"),
                        new String[] {null, streamed(12, 0)},
                        List.of(ID),
                        raw(ID, num52),
                        40,
                        Set.of(),
                        c -> false,
                        (column, since) -> since == 10 ? recorded : List.of());
        assertThat(p.statements())
                .filteredOn(s -> s.contains("TYPE"))
                .containsExactly(
                        "ALTER TABLE " + RAW + " ALTER COLUMN \"num_val\" TYPE numeric(6,1)",
                        "ALTER TABLE " + RAW + " ALTER COLUMN \"num_val\" TYPE numeric",
                        "ALTER TABLE " + RAW + " ALTER COLUMN \"num_val\" TYPE numeric(12,0)");
        assertThat(p.retypedTo()).containsEntry("num_val", "numeric(12,0)");
    }

    @Test
    void aColumnALayoutAddsIsRecordedWithItsTypeForLayoutsThatCameBefore() {
        LayoutPlan p =
                LayoutPlan.of(
                        RAW,
                        List.of("id", "num_val"),
                        new String[] {null, streamed(6, 1)},
                        List.of(ID),
                        raw(ID),
                        20,
                        Set.of(),
                        c -> false,
                        (column, since) -> List.of());
        assertThat(p.statements())
                .contains("ALTER TABLE " + RAW + " ADD COLUMN \"num_val\" numeric(6,1)");
        assertThat(p.retypedTo()).containsExactly(Map.entry("num_val", "numeric(6,1)"));
    }

    @Test
    void aColumnAddedByALaterLayoutStartsWithTheFirstTypeEarlierLayoutsGaveIt() {
        // title was text (layouts at 20, still on their way from other keys), then integer (this
        // layout, at 40): the raw column follows the source's history, not just its last type
        List<LayoutPlan.Typed> recorded =
                List.of(new LayoutPlan.Typed(20, "text"), new LayoutPlan.Typed(40, "integer"));
        LiveColumn integer = builtin("title", "int4", -1, "integer");
        String[] types = {
            null,
            new ColumnType("pg_catalog", "int4", -1, "integer", 'b', false, "pg_catalog", "int4")
                    .encode()
        };
        LayoutPlan p =
                LayoutPlan.of(
                        RAW,
                        List.of("id", "title"),
                        types,
                        List.of(ID, integer),
                        raw(ID),
                        40,
                        Set.of(),
                        c -> false,
                        (column, since) -> recorded);
        assertThat(p.statements())
                .startsWith(
                        "ALTER TABLE " + RAW + " ADD COLUMN \"title\" text",
                        "ALTER TABLE " + RAW + " ALTER COLUMN \"title\" TYPE integer");
        assertThat(p.retypes()).containsValue("title");
        // the warehouse refuses text -> integer without USING: planned again, the integer rows
        // continue beside the text column, as they would have in stream order
        LayoutPlan refused =
                LayoutPlan.of(
                        RAW,
                        List.of("id", "title"),
                        types,
                        List.of(ID, integer),
                        raw(ID),
                        40,
                        Set.of("title"),
                        c -> false,
                        (column, since) -> recorded);
        assertThat(refused.statements())
                .startsWith(
                        "ALTER TABLE " + RAW + " ADD COLUMN \"title\" text",
                        "ALTER TABLE " + RAW + " ADD COLUMN \"title__int4\" integer")
                .anyMatch(s -> s.contains("\"title__int4\" IS") && s.contains("continues"))
                .anyMatch(s -> s.contains("\"title\" IS") && s.contains("not_sent_since"));
    }
}
