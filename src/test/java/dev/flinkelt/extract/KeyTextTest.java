package dev.flinkelt.extract;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyTextTest {
    /**
     * PostgreSQL's text of a value and the stream's text of the same value give one key text: the
     * stream's.
     */
    private static void same(String type, String postgres, String stream) {
        assertThat(KeyText.of(type, postgres)).as("%s %s", type, postgres).isEqualTo(stream);
        assertThat(KeyText.of(type, stream))
                .as("the stream's %s text stays as it is", type)
                .isEqualTo(stream);
    }

    @Test
    void booleansAndFloats() {
        same("bool", "t", "true");
        same("bool", "f", "false");
        same("float8", "1", "1.0");
        same("float8", "0.1", "0.1");
        same("float8", "1e+100", "1.0E100");
        same("float8", "-Infinity", "-Infinity");
        same("float8", "NaN", "NaN");
        same("float4", "3.4028235e+38", "3.4028235E38");
    }

    /**
     * The key texts of earlier versions (Debezium's values as they printed them) stay the key
     * texts, so keyed state they wrote stays valid.
     */
    @Test
    void timesAndTimestampsKeepTheKeyTextsOfEarlierVersions() {
        same("time", "12:00:00", "12:00:00.000000");
        same("time", "23:59:59.5", "23:59:59.500000");
        same("time", "24:00:00", "24:00:00.000000");
        same("timestamp", "2024-01-01 12:00:00", "2024-01-01 12:00");
        same("timestamp", "2024-01-01 12:00:00.5", "2024-01-01 12:00:00.500");
        same("timestamp", "0044-03-15 10:00:00.5 BC", "0044-03-15 10:00:00.500 BC");
        same("timestamp", "12000-06-01 00:00:00", "12000-06-01 00:00");
        same("timestamp", "infinity", "infinity");
        same("timestamptz", "2024-01-01 12:00:00+00", "2024-01-01T12:00:00Z");
        same("timestamptz", "2024-03-31 01:30:00.5+00", "2024-03-31T01:30:00.5Z");
        same("timestamptz", "2024-03-31 01:30:00.000001+00", "2024-03-31T01:30:00.000001Z");
        same("timestamptz", "12000-06-01 12:00:00+00", "12000-06-01 12:00+00");
        same("timestamptz", "0044-03-15 10:00:00.000001+00 BC", "0044-03-15 10:00:00.000001+00 BC");
        assertThat(KeyText.of("timestamptz", "2024-01-01 14:00:00+02"))
                .isEqualTo("2024-01-01T12:00:00Z");
    }

    @Test
    void typesWhoseTextsAgreePassThrough() {
        for (String[] c :
                new String[][] {
                    {"int8", "-42"},
                    {"numeric", "1.50"},
                    {"text", "t"},
                    {"uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
                    {"date", "0044-03-15 BC"},
                    {null, "anything"}
                }) {
            assertThat(KeyText.of(c[0], c[1])).isEqualTo(c[1]);
        }
        assertThat(KeyText.of("bool", null)).isNull();
    }
}
