package dev.flinkelt.extract.pgoutput;

import java.util.List;

/**
 * A pgoutput Relation message: a table as the change stream sees it from here on (sent before its
 * first change in a session and again after each change of its definition).
 *
 * @param oid the table's OID
 * @param namespace its schema
 * @param name its name
 * @param replicaIdentity {@code d} default (primary key), {@code n} nothing, {@code f} full, {@code
 *     i} index
 * @param columns the published columns, in order
 */
public record Relation(
        int oid, String namespace, String name, char replicaIdentity, List<Column> columns) {

    /**
     * One published column.
     *
     * @param key part of the replica identity (all columns under {@code REPLICA IDENTITY FULL})
     * @param typeOid the type's OID
     * @param typmod the type modifier, -1 for none
     */
    public record Column(boolean key, String name, int typeOid, int typmod) {}
}
