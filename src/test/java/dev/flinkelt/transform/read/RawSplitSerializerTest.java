package dev.flinkelt.transform.read;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class RawSplitSerializerTest {
    @Test
    void splitsAndEnumeratorStateSurviveASavepoint() throws Exception {
        for (RawSplit s :
                new RawSplit[] {
                    new RawSplit("public__Order \"Items\"", RawSplit.START, null),
                    new RawSplit("t", 42L, null),
                    new RawSplit("ß__ü", 7L, 9_000_000_000L)
                }) {
            RawSplit back =
                    RawSplitSerializer.INSTANCE.deserialize(
                            1, RawSplitSerializer.INSTANCE.serialize(s));
            assertThat(back.table).isEqualTo(s.table);
            assertThat(back.from).isEqualTo(s.from);
            assertThat(back.end).isEqualTo(s.end);
            assertThat(back.splitId()).isEqualTo(s.table);
        }
        Set<String> tables = new TreeSet<>(Set.of("a", "public__b", "x y"));
        assertThat(
                        AssignedTables.SERIALIZER.deserialize(
                                1, AssignedTables.SERIALIZER.serialize(tables)))
                .isEqualTo(tables);
    }

    @Test
    void readsQuoteEveryTableAndBindEveryRange() {
        String sql = RawQueries.read(RawQueries.qualified("raw", "public__Order\"s"));
        assertThat(sql)
                .isEqualTo(
                        "SELECT * FROM \"raw\".\"public__Order\"\"s\" WHERE \"_load_xid\" >= ? AND \"_load_xid\" < ?"
                                + " ORDER BY \"_load_xid\", \"_lsn\", \"_seq\"");
    }
}
