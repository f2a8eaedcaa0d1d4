package dev.flinkelt.extract;

import org.apache.kafka.connect.data.Schema;

import java.util.Locale;
import java.util.Map;

/**
 * A column's source type name as Debezium reports it on the field ({@code
 * column.propagate.source.type}), brought to the catalog's {@code pg_type.typname}: lower case,
 * serial pseudo-types as their integer types, and enum names without the schema and quotes the JDBC
 * metadata of snapshot reads adds. Modifiers (lengths, precision) are left out: snapshot and stream
 * reads report them differently.
 */
public final class TypeNames {
    static final String PARAMETER = "__debezium.source.column.type";
    private static final Map<String, String> SERIALS =
            Map.of("serial", "int4", "bigserial", "int8", "smallserial", "int2");

    private TypeNames() {}

    /** The normalised type name, or null when the field does not carry one. */
    public static String of(Schema field) {
        Map<String, String> params = field.parameters();
        String name = params == null ? null : params.get(PARAMETER);
        return name == null ? null : normalize(name);
    }

    static String normalize(String name) {
        String n = name;
        int dot = n.lastIndexOf("\".\"");
        if (dot >= 0) {
            n = n.substring(dot + 2);
        }
        n = n.replace("\"", "").toLowerCase(Locale.ROOT);
        return SERIALS.getOrDefault(n, n);
    }
}
