package dev.flinkelt.raw;

import dev.flinkelt.pg.TableSchema;

import java.io.Serializable;

/**
 * A raw table in the warehouse as the transform job sees it: the source table's schema plus where
 * it lives.
 */
public record RawTable(TableSchema source, String rawSchema) implements Serializable {

    public String rawName() {
        return RawNames.of(source.ref());
    }
}
