package dev.flinkelt.extract.pgoutput;

import dev.flinkelt.pg.ColumnType;

/**
 * Names a column's type from what a Relation message gives (type OID and modifier), with the name a
 * Type message gave for a type that is not built in (null if none came).
 */
public interface TypeResolver {
    ColumnType resolve(int oid, int typmod, String namespace, String name);
}
