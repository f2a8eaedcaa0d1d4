package dev.flinkelt.raw;

import dev.flinkelt.config.TableRef;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RawNamesTest {

    @Test
    void ordinaryTablesKeepTheNameEarlierVersionsGave() {
        assertThat(RawNames.of(new TableRef("public", "orders"))).isEqualTo("public__orders");
        assertThat(RawNames.of(new TableRef("Sales Data", "Order \"Items\"")))
                .isEqualTo("Sales Data__Order \"Items\"");
        // a table's own __ or leading _ keeps the plain form: the schema still ends at the first __
        assertThat(RawNames.of(new TableRef("shop", "order__lines")))
                .isEqualTo("shop__order__lines");
        assertThat(RawNames.of(new TableRef("shop", "_tmp"))).isEqualTo("shop___tmp");
        assertThat(RawNames.of(new TableRef("shop", "order__lines")))
                .isEqualTo(RawNames.legacy(new TableRef("shop", "order__lines")));
    }

    @Test
    void tablesWhosePlainNamesWouldMeetGetDifferentNames() {
        String a = RawNames.of(new TableRef("a__b", "c"));
        String b = RawNames.of(new TableRef("a", "b__c"));
        assertThat(a).isNotEqualTo(b).doesNotContain("__");
        assertThat(b).isEqualTo("a__b__c");
        String c = RawNames.of(new TableRef("a_", "b"));
        String d = RawNames.of(new TableRef("a", "_b"));
        assertThat(c).isNotEqualTo(d);
        assertThat(d).isEqualTo("a___b");
    }

    @Test
    void longNamesFitPostgresLimitOnACharacterBoundaryAndStayApart() {
        String long1 = "t".repeat(61) + "_1";
        String long2 = "t".repeat(61) + "_2";
        String n1 = RawNames.of(new TableRef("public", long1));
        String n2 = RawNames.of(new TableRef("public", long2));
        assertThat(bytes(n1)).isLessThanOrEqualTo(63);
        assertThat(n1).isNotEqualTo(n2).startsWith("public_ttt");
        // 4-byte characters (surrogate pairs in Java): never cut in half
        String emoji = "\uD83D\uDE00".repeat(20);
        String n3 = RawNames.of(new TableRef("s", emoji));
        assertThat(bytes(n3)).isLessThanOrEqualTo(63);
        assertThat(n3.codePoints().allMatch(Character::isValidCodePoint)).isTrue();
        assertThat(new String(n3.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .isEqualTo(n3);
        assertThat(RawNames.legacy(new TableRef("s", emoji)))
                .hasSizeLessThan(("s__" + emoji).length());
        assertThat(bytes(RawNames.legacy(new TableRef("s", emoji)))).isLessThanOrEqualTo(63);
    }

    @Test
    void noTwoHostileTablesShareARawName() {
        List<String> parts =
                List.of(
                        "a",
                        "b",
                        "a_",
                        "_a",
                        "a__b",
                        "b__c",
                        "a_b",
                        "__",
                        "_",
                        "x".repeat(40),
                        "ü".repeat(25),
                        "Mixed Case",
                        "sp ace",
                        "q\"uote",
                        "dot.ted",
                        "\uD83D\uDE00".repeat(9),
                        "select",
                        "a__",
                        "__b");
        Map<String, TableRef> seen = new HashMap<>();
        List<String> clashes = new ArrayList<>();
        for (String schema : parts) {
            for (String table : parts) {
                TableRef ref = new TableRef(schema, table);
                String name = RawNames.of(ref);
                assertThat(bytes(name)).as("%s", ref).isLessThanOrEqualTo(RawNames.MAX_BYTES);
                TableRef other = seen.put(name, ref);
                if (other != null) {
                    clashes.add(other + " and " + ref + " -> " + name);
                }
            }
        }
        assertThat(clashes).isEmpty();
    }

    @Test
    void truncateCutsBytesNotCharacters() {
        assertThat(RawNames.truncate("abc", 63)).isEqualTo("abc");
        assertThat(RawNames.truncate("üüü", 5)).isEqualTo("üü");
        assertThat(RawNames.truncate("a\uD83D\uDE00", 4)).isEqualTo("a");
        assertThat(RawNames.truncate("a\uD83D\uDE00", 5)).isEqualTo("a\uD83D\uDE00");
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
