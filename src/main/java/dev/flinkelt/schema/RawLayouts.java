package dev.flinkelt.schema;

import dev.flinkelt.extract.ChangeEvent;

import java.io.Serializable;
import java.sql.SQLException;

/**
 * What the keyed stage asks about raw-table layouts: {@link SchemaChanges} answers from the
 * catalogs of both databases; the keyed stage's fast tests answer without a server.
 */
public interface RawLayouts extends AutoCloseable {

    /**
     * The mapping of {@code layout} onto {@code table}'s raw table, or null while DDL is needed
     * ({@link #apply}).
     */
    Mapping mapping(String table, String[] layout, String[] types, long lsn) throws SQLException;

    /**
     * Makes the DDL the layout needs; false when the raw table's lock was not free (try again
     * later).
     */
    boolean apply(String table, String[] layout, String[] types, long lsn) throws SQLException;

    /**
     * Whether the DDL {@code layout} needs changes the type of a raw column that may hold rows (an
     * {@code ALTER COLUMN … TYPE}), which converts those rows: rows of earlier layouts must all be
     * in the table first (see the keyed stage).
     */
    boolean convertsRows(String table, String[] layout, String[] types, long lsn)
            throws SQLException;

    /**
     * Readies a mapped row for loading: adds to the warehouse the enum labels it uses that it does
     * not have yet, and converts values of an older layout as the source converted its rows.
     */
    void finish(Mapping m, ChangeEvent mapped) throws SQLException;

    /**
     * Keeps {@code table}'s raw columns as they are (no session's DDL changes them) until {@link
     * #unpin}; false when DDL holds the table or waits for it now (try again later). While pinned,
     * mappings and {@link #reconvert} answer for the raw columns as they stay.
     */
    boolean pin(String table) throws SQLException;

    /** Ends every pin. */
    void unpin() throws SQLException;

    /**
     * Converts the values of a row mapped before it was held (in its layout's types) through the
     * types its raw columns were given by later layouts since, as the source converted its rows;
     * its table pinned.
     */
    void reconvert(ChangeEvent mapped) throws SQLException;

    /**
     * Per raw source column of {@code table}: whether its type has a fixed width (so is never
     * TOASTed).
     */
    boolean[] fixedWidth(String table) throws SQLException;

    /**
     * Records {@code table} as paused since {@code lsn}, its changes not loaded until it is resumed
     * (see raw.PausedTables); {@code reason} holds no row value.
     */
    void pause(String table, long lsn, String sqlstate, String reason) throws SQLException;

    /** The stream position {@code table} was resumed at, or -1 while it is paused. */
    long resumedAt(String table) throws SQLException;

    @Override
    void close() throws SQLException;

    /**
     * Opens the layouts one user works with ({@code role} names it in logs); shipped with the
     * function.
     */
    interface Factory extends Serializable {
        RawLayouts open(String role);
    }
}
