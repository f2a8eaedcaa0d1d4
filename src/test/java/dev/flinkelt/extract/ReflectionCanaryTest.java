package dev.flinkelt.extract;

import io.debezium.config.Configuration;
import io.debezium.config.Field;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.debezium.connector.postgresql.UnchangedToastedReplicationMessageColumn;
import io.debezium.data.Envelope;
import io.debezium.relational.Column;
import io.debezium.relational.CustomConverterRegistry;
import io.debezium.relational.TableId;
import io.debezium.relational.ValueConverter;
import io.debezium.relational.mapping.PropagateSourceTypeToSchemaParameter;
import org.apache.flink.util.Collector;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Canaries for what the product reaches in the CDC connector (Flink CDC 3.5 / Debezium 1.9) by name
 * rather than by a compiled reference. src/main has no getDeclaredField, getDeclaredMethod,
 * setAccessible, MethodHandles, VarHandle or Class.forName; what it does have are names that
 * Debezium resolves or ignores at run time: its settings (an unknown key or value is ignored, or
 * fails only when the job starts), the converter class it instantiates by name, its unchanged-TOAST
 * placeholder, its semantic type names and its envelope and source field names. A Debezium upgrade
 * that renames one of them fails here instead of at a job start, or silently in the data.
 */
class ReflectionCanaryTest {
    static final TableId DOCS = new TableId(null, "public", "docs");

    /**
     * flink-elt's settings plus what CdcSourceFactory gives the source builder instead
     * (decodingPluginName becomes plugin.name) and the logical name Debezium needs to build its
     * config without a server.
     */
    static Properties settings() {
        Properties p = CdcSourceFactory.debeziumProperties("flink_elt");
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("database.server.name", "canary");
        return p;
    }

    static PostgresConnectorConfig debeziumConfig() {
        return new PostgresConnectorConfig(Configuration.from(settings()));
    }

    @Test
    void everySettingFlinkEltGivesDebeziumIsOneItKnowsWithAValueItAccepts() {
        Properties ours = CdcSourceFactory.debeziumProperties("flink_elt");
        Configuration config =
                Configuration.from(settings()); // some values are checked against plugin.name
        // "<converter>.type" and the converter's own options are read by the converter registry,
        // not by Field
        List<String> converters = Arrays.asList(ours.getProperty("converters").split(","));
        for (String key : ours.stringPropertyNames()) {
            if (converters.contains(key.substring(0, Math.max(0, key.indexOf('.'))))) {
                continue;
            }
            Field field = PostgresConnectorConfig.ALL_FIELDS.fieldWithName(key);
            assertThat(field).as("Debezium setting %s", key).isNotNull();
            List<String> problems = new ArrayList<>();
            field.validate(
                    config,
                    (f, value, problem) -> problems.add(f.name() + "=" + value + ": " + problem));
            assertThat(problems).as("Debezium setting %s", key).isEmpty();
        }
    }

    @Test
    void debeziumInstantiatesTheNamedArrayConverterAndItMarksUnchangedToast() {
        CustomConverterRegistry registry = debeziumConfig().customConverterRegistry();
        Column tags = Column.editor().name("tags").type("_text").jdbcType(Types.ARRAY).create();

        assertThat(registry.registerConverterFor(DOCS, tags, null))
                .hasValueSatisfying(
                        schema ->
                                assertThat(schema.name())
                                        .isEqualTo(ArrayTextConverter.SCHEMA_NAME));
        ValueConverter converter = registry.getValueConverter(DOCS, tags).orElseThrow();
        assertThat(
                        converter.convert(
                                UnchangedToastedReplicationMessageColumn.UNCHANGED_TOAST_VALUE))
                .isEqualTo(ChangeEventDeserializer.UNAVAILABLE);
    }

    @Test
    void theUnchangedToastPlaceholderIsTheOneDebeziumSendsWithOurSettings() {
        assertThat(debeziumConfig().getUnavailableValuePlaceholder())
                .isEqualTo(ChangeEventDeserializer.UNAVAILABLE.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void debeziumsTimeSchemasAreTheOnesPgTextTurnsIntoPostgreSQLText() {
        // PgText switches on these schema names as string literals: a renamed one would fall
        // through to toString()
        assertThat(PgText.of(io.debezium.time.Date.schema(), 1)).isEqualTo("1970-01-02");
        assertThat(PgText.of(io.debezium.time.MicroTime.schema(), 1_000_001L))
                .isEqualTo("00:00:01.000001");
        assertThat(PgText.of(io.debezium.time.Time.schema(), 1_000)).isEqualTo("00:00:01.000000");
        assertThat(PgText.of(io.debezium.time.NanoTime.schema(), 1_000_001_000L))
                .isEqualTo("00:00:01.000001");
        assertThat(PgText.of(io.debezium.time.MicroTimestamp.schema(), 1_500_000L))
                .isEqualTo("1970-01-01 00:00:01.500");
        assertThat(PgText.of(io.debezium.time.Timestamp.schema(), 1_500L))
                .isEqualTo("1970-01-01 00:00:01.500");
        assertThat(PgText.of(io.debezium.time.NanoTimestamp.schema(), 1_500_000_000L))
                .isEqualTo("1970-01-01 00:00:01.500");
        assertThat(PgText.of(io.debezium.time.ZonedTimestamp.schema(), "+12000-06-01T12:00:00Z"))
                .isEqualTo("12000-06-01 12:00+00");
    }

    @Test
    void theSourceTypeParameterDebeziumWritesIsTheOneTypeNamesReads() {
        SchemaBuilder field = SchemaBuilder.int32();
        new PropagateSourceTypeToSchemaParameter()
                .alterFieldSchema(
                        Column.editor().name("n").type("SERIAL").jdbcType(Types.INTEGER).create(),
                        field);

        assertThat(TypeNames.of(field.build())).isEqualTo("int4");
    }

    @Test
    void debeziumsOperationCodesAreTheOnesChangeEventNames() {
        assertThat(Envelope.Operation.READ.code()).isEqualTo(String.valueOf(ChangeEvent.READ));
        assertThat(Envelope.Operation.CREATE.code()).isEqualTo(String.valueOf(ChangeEvent.INSERT));
        assertThat(Envelope.Operation.UPDATE.code()).isEqualTo(String.valueOf(ChangeEvent.UPDATE));
        assertThat(Envelope.Operation.DELETE.code()).isEqualTo(String.valueOf(ChangeEvent.DELETE));
        assertThat(Envelope.Operation.TRUNCATE.code())
                .isEqualTo(String.valueOf(ChangeEvent.TRUNCATE));
    }

    @Test
    void aChangeInDebeziumsOwnEnvelopeAndSourceBlockIsReadWithItsPosition() {
        Schema sourceSchema = debeziumConfig().getSourceInfoStructMaker().schema();
        // the field names ChangeEventDeserializer reads from the source block (inline literals
        // there, mirrored here):
        // Struct.put fails on a name or type Debezium's schema no longer has
        Struct source =
                required(sourceSchema)
                        .put("schema", "public")
                        .put("table", "docs")
                        .put("lsn", 1_000L)
                        .put("txId", 42L)
                        .put("ts_ms", 1_700_000_000_000L);
        Envelope envelope =
                Envelope.defineSchema()
                        .withName(Envelope.schemaName("canary.public.docs"))
                        .withRecord(ChangeEventDeserializerTest.ROW)
                        .withSource(sourceSchema)
                        .build();
        Struct after = new Struct(ChangeEventDeserializerTest.ROW).put("id", 5).put("body", "x");
        Struct value = envelope.create(after, source, Instant.EPOCH);

        List<ChangeEvent> out = new ArrayList<>();
        new ChangeEventDeserializer(List.of(ChangeEventDeserializerTest.DOCS), 1L)
                .deserialize(
                        new SourceRecord(
                                Map.of(),
                                Map.of(),
                                "canary.public.docs",
                                null,
                                envelope.schema(),
                                value),
                        collector(out));

        assertThat(out)
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.table).isEqualTo("public.docs");
                            assertThat(e.op).isEqualTo(ChangeEvent.INSERT);
                            assertThat(e.values).containsExactly("5", "x", null);
                            assertThat(e.lsn).isEqualTo(1_000L);
                            assertThat(e.txId).isEqualTo(42L);
                            assertThat(e.sourceTsMicros).isEqualTo(1_700_000_000_000_000L);
                        });
    }

    /**
     * A struct of {@code schema} with placeholder values in its required fields (Struct.validate
     * wants them).
     */
    static Struct required(Schema schema) {
        Struct s = new Struct(schema);
        for (org.apache.kafka.connect.data.Field f : schema.fields()) {
            if (f.schema().isOptional() || f.schema().defaultValue() != null) {
                continue;
            }
            switch (f.schema().type()) {
                case STRING -> s.put(f, "x");
                case INT64 -> s.put(f, 0L);
                case INT32 -> s.put(f, 0);
                case BOOLEAN -> s.put(f, false);
                default ->
                        throw new IllegalStateException(
                                "no placeholder for required source field " + f.name());
            }
        }
        return s;
    }

    static Collector<ChangeEvent> collector(List<ChangeEvent> out) {
        return new Collector<>() {
            @Override
            public void collect(ChangeEvent e) {
                out.add(e);
            }

            @Override
            public void close() {}
        };
    }
}
