package dev.flinkelt.extract;

import io.debezium.connector.postgresql.UnchangedToastedReplicationMessageColumn;
import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import org.apache.kafka.connect.data.SchemaBuilder;

import java.sql.Types;
import java.util.Properties;

/**
 * Debezium converter for array columns: passes PostgreSQL's own text form of the array through
 * (exact for every element type), and marks an unchanged TOASTed array with the placeholder.
 * Debezium 1.9 itself turns an unchanged TOASTed array into NULL, which cannot be told apart from a
 * real NULL.
 */
public class ArrayTextConverter implements CustomConverter<SchemaBuilder, RelationalColumn> {
    /** Schema name of the converted values; {@link PgText} passes them through as they are. */
    public static final String SCHEMA_NAME = "dev.flinkelt.PgArrayText";

    @Override
    public void configure(Properties props) {}

    @Override
    public void converterFor(
            RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
        if (column.jdbcType() != Types.ARRAY && !column.typeName().startsWith("_")) {
            return;
        }
        registration.register(
                SchemaBuilder.string().optional().name(SCHEMA_NAME),
                raw -> {
                    if (raw == null) {
                        return null;
                    }
                    if (raw == UnchangedToastedReplicationMessageColumn.UNCHANGED_TOAST_VALUE) {
                        return ChangeEventDeserializer.UNAVAILABLE;
                    }
                    // PgArray (snapshot and stream) prints the server's text form
                    return raw.toString();
                });
    }
}
