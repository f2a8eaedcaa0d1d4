package dev.flinkelt.transform;

import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.TimestampType;

/**
 * The PostgreSQL column type for a Flink type, for output tables the {@code warehouse} connector
 * creates.
 */
final class PgTypes {
    private PgTypes() {}

    static String of(LogicalType t) {
        return switch (t.getTypeRoot()) {
            case TINYINT, SMALLINT -> "smallint";
            case INTEGER -> "integer";
            case BIGINT -> "bigint";
            case FLOAT -> "real";
            case DOUBLE -> "double precision";
            case DECIMAL ->
                    "numeric("
                            + ((DecimalType) t).getPrecision()
                            + ", "
                            + ((DecimalType) t).getScale()
                            + ")";
            case BOOLEAN -> "boolean";
            case DATE -> "date";
            case TIME_WITHOUT_TIME_ZONE -> "time";
            case TIMESTAMP_WITHOUT_TIME_ZONE ->
                    "timestamp(" + Math.min(6, ((TimestampType) t).getPrecision()) + ")";
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE ->
                    "timestamptz("
                            + Math.min(6, ((LocalZonedTimestampType) t).getPrecision())
                            + ")";
            case BINARY, VARBINARY -> "bytea";
            default -> "text";
        };
    }
}
