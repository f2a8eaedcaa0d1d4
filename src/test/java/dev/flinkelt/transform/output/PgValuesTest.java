package dev.flinkelt.transform.output;

import dev.flinkelt.config.ConfigException;

import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.DateType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.DoubleType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.TimestampType;
import org.apache.flink.table.types.logical.VarCharType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PgValuesTest {
    @Test
    void valuesBecomeTheTextPostgresReadsBackExactly() {
        LogicalType[] types = {
            new VarCharType(VarCharType.MAX_LENGTH),
            new BigIntType(),
            new DoubleType(),
            new DoubleType(),
            new DecimalType(38, 10),
            new DateType(),
            new DateType(),
            new DateType(),
            new TimestampType(6),
            new TimestampType(6),
            new LocalZonedTimestampType(6)
        };
        PgValues v = new PgValues(types, new String[types.length], "t");
        GenericRowData row =
                GenericRowData.of(
                        StringData.fromString("it's \"x\""),
                        Long.MIN_VALUE,
                        Double.NaN,
                        Double.NEGATIVE_INFINITY,
                        DecimalData.fromBigDecimal(
                                new BigDecimal("1234567890123.0000000001"), 38, 10),
                        (int) LocalDate.of(2024, 2, 29).toEpochDay(),
                        (int) LocalDate.of(-43, 3, 15).toEpochDay(),
                        (int) LocalDate.of(-4, 2, 29).toEpochDay(),
                        TimestampData.fromLocalDateTime(
                                LocalDateTime.of(1500, 1, 1, 12, 0, 0, 123_456_000)),
                        TimestampData.fromLocalDateTime(LocalDateTime.of(0, 12, 31, 23, 59, 59)),
                        TimestampData.fromEpochMillis(0, 1000));
        String[] text = new String[types.length];
        for (int i = 0; i < types.length; i++) {
            text[i] = v.text(row, i);
        }
        assertThat(text)
                .containsExactly(
                        "it's \"x\"",
                        "-9223372036854775808",
                        "NaN",
                        "-Infinity",
                        "1234567890123.0000000001",
                        "2024-02-29",
                        "0044-03-15 BC",
                        "0005-02-29 BC",
                        "1500-01-01 12:00:00.123456",
                        "0001-12-31 23:59:59.000000 BC",
                        "1970-01-01 00:00:00.000001+00");
        assertThat(v.text(GenericRowData.of((Object) null), 0)).isNull();
    }

    @Test
    void aTypeTheConnectorCannotWriteIsRefusedAtStartNamingTheColumn() {
        assertThatThrownBy(
                        () ->
                                new PgValues(
                                        new LogicalType[] {new ArrayType(new BigIntType())},
                                        new String[] {"tags"},
                                        "`out`"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("column 'tags'")
                .hasMessageContaining("cast it to STRING");
    }
}
