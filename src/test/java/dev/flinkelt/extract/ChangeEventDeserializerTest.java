package dev.flinkelt.extract;

import dev.flinkelt.config.TableRef;
import dev.flinkelt.pg.ColumnSpec;
import dev.flinkelt.pg.TableSchema;

import org.apache.flink.util.Collector;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeEventDeserializerTest {
    static final TableSchema DOCS =
            new TableSchema(
                    new TableRef("public", "docs"),
                    List.of(
                            new ColumnSpec("id", "integer", false),
                            new ColumnSpec("body", "text", false),
                            new ColumnSpec("blob", "bytea", false)),
                    List.of("id"),
                    false);
    static final Schema ROW =
            SchemaBuilder.struct()
                    .field("id", Schema.INT32_SCHEMA)
                    .field("body", Schema.OPTIONAL_STRING_SCHEMA)
                    .field("blob", Schema.OPTIONAL_BYTES_SCHEMA)
                    .optional()
                    .build();
    static final Schema SOURCE =
            SchemaBuilder.struct()
                    .field("schema", Schema.STRING_SCHEMA)
                    .field("table", Schema.STRING_SCHEMA)
                    .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
                    .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
                    .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
                    .build();
    static final Schema ENVELOPE =
            SchemaBuilder.struct()
                    .name("postgres_cdc_source.public.docs.Envelope")
                    .field("before", ROW)
                    .field("after", ROW)
                    .field("source", SOURCE)
                    .field("op", Schema.STRING_SCHEMA)
                    .build();

    static List<ChangeEvent> deserialize(
            String op, Struct before, Struct after, Long lsn, Long txId, Long tsMs)
            throws Exception {
        Struct source =
                new Struct(SOURCE)
                        .put("schema", "public")
                        .put("table", "docs")
                        .put("lsn", lsn)
                        .put("txId", txId)
                        .put("ts_ms", tsMs);
        Struct value =
                new Struct(ENVELOPE)
                        .put("before", before)
                        .put("after", after)
                        .put("source", source)
                        .put("op", op);
        List<ChangeEvent> out = new ArrayList<>();
        new ChangeEventDeserializer(List.of(DOCS), 777L)
                .deserialize(
                        new SourceRecord(Map.of(), Map.of(), "t", null, ENVELOPE, value),
                        new Collector<>() {
                            @Override
                            public void collect(ChangeEvent e) {
                                out.add(e);
                            }

                            @Override
                            public void close() {}
                        });
        return out;
    }

    @Test
    void unchangedToastPlaceholdersAreMarkedNotCarriedAsData() throws Exception {
        Struct after =
                new Struct(ROW)
                        .put("id", 5)
                        .put("body", ChangeEventDeserializer.UNAVAILABLE)
                        .put(
                                "blob",
                                ChangeEventDeserializer.UNAVAILABLE.getBytes(
                                        StandardCharsets.UTF_8));
        ChangeEvent e = deserialize("u", null, after, 1000L, 42L, 1_700_000_000_000L).get(0);
        assertThat(e.values).containsExactly("5", null, null);
        assertThat(e.unchanged).containsExactly(false, true, true);
        assertThat(e.lsn).isEqualTo(1000L);
        assertThat(e.txId).isEqualTo(42L);
        assertThat(e.sourceTsMicros).isEqualTo(1_700_000_000_000_000L);
        assertThat(e.key).isEqualTo("public.docs\u00005");
    }

    @Test
    void snapshotRowsGetTheSnapshotPositionAndNoTransaction() throws Exception {
        ChangeEvent e =
                deserialize("r", null, new Struct(ROW).put("id", 1).put("body", "x"), 0L, null, 0L)
                        .get(0);
        assertThat(e.lsn).isEqualTo(777L);
        assertThat(e.txId).isEqualTo(ChangeEvent.NONE);
        assertThat(e.sourceTsMicros).isEqualTo(ChangeEvent.NONE);
        assertThat(e.unchanged).isNull();
    }

    @Test
    void deletesWithoutFullReplicaIdentityCarryOnlyTheKey() throws Exception {
        // Debezium fills NOT NULL columns of a key-only before image with defaults such as ""
        ChangeEvent e =
                deserialize("d", new Struct(ROW).put("id", 9).put("body", ""), null, 2000L, 43L, 1L)
                        .get(0);
        assertThat(e.op).isEqualTo(ChangeEvent.DELETE);
        assertThat(e.values).containsExactly("9", null, null);
    }

    @Test
    void eventsCarryTheirRowsOwnColumnsAndANewRowSchemaIsANewLayout() throws Exception {
        ChangeEventDeserializer d = new ChangeEventDeserializer(List.of(DOCS), 1L);
        Schema wider =
                SchemaBuilder.struct()
                        .field("id", Schema.INT32_SCHEMA)
                        .field("price", Schema.OPTIONAL_STRING_SCHEMA)
                        .optional()
                        .build();
        Schema envelope =
                SchemaBuilder.struct()
                        .name("x.Envelope")
                        .field("before", wider)
                        .field("after", wider)
                        .field("source", SOURCE)
                        .field("op", Schema.STRING_SCHEMA)
                        .build();
        List<ChangeEvent> out = new ArrayList<>();
        Collector<ChangeEvent> collector =
                new Collector<>() {
                    @Override
                    public void collect(ChangeEvent e) {
                        out.add(e);
                    }

                    @Override
                    public void close() {}
                };
        Struct source =
                new Struct(SOURCE).put("schema", "public").put("table", "docs").put("lsn", 5L);
        d.deserialize(
                new SourceRecord(
                        Map.of(),
                        Map.of(),
                        "t",
                        null,
                        ENVELOPE,
                        new Struct(ENVELOPE)
                                .put("after", new Struct(ROW).put("id", 1))
                                .put("source", source)
                                .put("op", "c")),
                collector);
        d.deserialize(
                new SourceRecord(
                        Map.of(),
                        Map.of(),
                        "t",
                        null,
                        envelope,
                        new Struct(envelope)
                                .put("after", new Struct(wider).put("id", 2).put("price", "9.50"))
                                .put("source", source)
                                .put("op", "c")),
                collector);
        assertThat(out.get(0).columns).containsExactly("id", "body", "blob");
        assertThat(out.get(0).layout).isEqualTo(1);
        assertThat(out.get(1).columns).containsExactly("id", "price");
        assertThat(out.get(1).values).containsExactly("2", "9.50");
        assertThat(out.get(1).layout).isEqualTo(2);
        assertThat(out.get(1).key).isEqualTo("public.docs\u00002");
    }
}
