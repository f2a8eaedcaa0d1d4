package dev.flinkelt.extract;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PgTextTest {
    @Test
    void timeOfDayKeepsMicrosecondsAndMidnightAtEndOfDay() {
        Schema micro = SchemaBuilder.int64().name("io.debezium.time.MicroTime").build();
        assertThat(PgText.of(micro, 45_296_000_001L)).isEqualTo("12:34:56.000001");
        assertThat(PgText.of(micro, 86_400_000_000L)).isEqualTo("24:00:00.000000");
    }

    @Test
    void timestampsBeforeTheEpochAreExact() {
        Schema ts = SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").build();
        assertThat(PgText.of(ts, -1L)).isEqualTo("1969-12-31 23:59:59.999999");
        assertThat(PgText.of(ts, 0L)).isEqualTo("1970-01-01 00:00");
        Schema date = SchemaBuilder.int32().name("io.debezium.time.Date").build();
        assertThat(PgText.of(date, -719162)).isEqualTo("0001-01-01");
    }

    @Test
    void bcDatesAndTimestampsAndInfinitiesAreWrittenAsPostgreSQLReadsThem() {
        Schema date = SchemaBuilder.int32().name("io.debezium.time.Date").build();
        assertThat(PgText.of(date, (int) LocalDate.of(-43, 3, 15).toEpochDay()))
                .isEqualTo("0044-03-15 BC");
        assertThat(PgText.of(date, (int) LocalDate.of(0, 1, 1).toEpochDay()))
                .isEqualTo("0001-01-01 BC");
        assertThat(PgText.of(date, (int) LocalDate.of(10000, 1, 1).toEpochDay()))
                .isEqualTo("10000-01-01");
        assertThat(PgText.of(date, (int) PgText.DATE_INFINITY)).isEqualTo("infinity");
        assertThat(PgText.of(date, (int) PgText.DATE_MINUS_INFINITY)).isEqualTo("-infinity");
        Schema micros = SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").build();
        long bc =
                LocalDateTime.of(-43, 3, 15, 10, 0, 0, 500_000_000).toEpochSecond(ZoneOffset.UTC)
                                * 1_000_000L
                        + 500_000L;
        assertThat(PgText.of(micros, bc)).isEqualTo("0044-03-15 10:00:00.500 BC");
        assertThat(PgText.of(micros, PgText.TIMESTAMP_INFINITY_MICROS)).isEqualTo("infinity");
        assertThat(PgText.of(micros, PgText.TIMESTAMP_MINUS_INFINITY_MICROS))
                .isEqualTo("-infinity");
        Schema millis = SchemaBuilder.int64().name("io.debezium.time.Timestamp").build();
        assertThat(PgText.of(millis, PgText.TIMESTAMP_INFINITY_MICROS / 1000))
                .isEqualTo("infinity");
        Schema zoned = SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").build();
        assertThat(PgText.of(zoned, "-0043-03-15T10:00:00.000001Z"))
                .isEqualTo("0044-03-15 10:00:00.000001+00 BC");
        assertThat(PgText.of(zoned, "+12000-06-01T12:00:00Z")).isEqualTo("12000-06-01 12:00+00");
        assertThat(PgText.of(zoned, "2020-01-01T00:00:00Z")).isEqualTo("2020-01-01T00:00:00Z");
        assertThat(PgText.of(zoned, "infinity")).isEqualTo("infinity");
        assertThat(PgText.of(zoned, "-infinity")).isEqualTo("-infinity");
    }

    @Test
    void bytesBecomeHexAndArraysQuoteEveryElement() {
        assertThat(PgText.of(Schema.BYTES_SCHEMA, new byte[] {0, (byte) 0xff}))
                .isEqualTo("\\x00ff");
        assertThat(PgText.of(Schema.BYTES_SCHEMA, ByteBuffer.wrap(new byte[] {1, 2, 3}, 1, 2)))
                .isEqualTo("\\x0203");
        Schema arr = SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).build();
        assertThat(PgText.of(arr, Arrays.asList("a\"b", "back\\slash", null, "")))
                .isEqualTo("{\"a\\\"b\",\"back\\\\slash\",NULL,\"\"}");
        assertThat(PgText.of(arr, List.of())).isEqualTo("{}");
    }

    @Test
    void decimalsAndArrayTextPassThroughUnchanged() {
        assertThat(PgText.of(Schema.OPTIONAL_STRING_SCHEMA, "NaN")).isEqualTo("NaN");
        assertThat(PgText.of(null, new BigDecimal("1E+3"))).isEqualTo("1000");
        Schema arrayText =
                SchemaBuilder.string().optional().name(ArrayTextConverter.SCHEMA_NAME).build();
        assertThat(PgText.of(arrayText, "{1,NULL,3}")).isEqualTo("{1,NULL,3}");
        assertThat(PgText.of(Schema.OPTIONAL_FLOAT64_SCHEMA, Double.NaN)).isEqualTo("NaN");
        assertThat(PgText.of(Schema.OPTIONAL_STRING_SCHEMA, null)).isNull();
    }
}
