package dev.flinkelt.raw;

import dev.flinkelt.pg.TableSchema;

import java.io.Serializable;

/**
 * A raw table in the warehouse as the transform job sees it: the source table's schema plus where
 * it lives ({@code rawName}: as found in the warehouse, which is {@link RawNames#of} the source
 * once extract-load of this version has started).
 */
public record RawTable(TableSchema source, String rawSchema, String rawName)
        implements Serializable {}
