package dev.flinkelt.transform;

import dev.flinkelt.catalog.TableSchema;
import java.io.Serializable;

/** A raw table in the warehouse as the transform job sees it: the source table's schema plus where it lives. */
public record RawTable(TableSchema source, String rawSchema) implements Serializable {

    public String rawName() {
        return source.ref().rawTableName();
    }

    /** Flink catalog name of a table in database {@code db}, quoted with backticks. */
    public String flinkName(String db) {
        return "`" + db.replace("`", "``") + "`.`" + rawName().replace("`", "``") + "`";
    }
}
