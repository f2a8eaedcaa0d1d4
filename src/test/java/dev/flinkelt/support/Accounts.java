package dev.flinkelt.support;

import java.sql.Connection;
import java.sql.SQLException;

import static dev.flinkelt.support.TestDatabases.exec;

/**
 * The fault tests' table: {@code public.accounts (id, owner, balance, version)}, its raw table and
 * its ledger.
 */
public final class Accounts {
    public static final String TABLE = "public.accounts";
    public static final String TABLES = "[" + TABLE + "]";
    public static final String RAW = "public__accounts";

    private Accounts() {}

    /**
     * Creates the table with ids 1..rows and returns a ledger that expects them as snapshot reads.
     */
    public static Ledger create(Connection src, int rows) throws SQLException {
        return create(src, rows, "text");
    }

    /**
     * As {@link #create}, with {@code owner varchar(40)}: every column of bounded width, so
     * PostgreSQL gives the table no TOAST relation and the keyed stage keeps nothing for a key at
     * its first snapshot (load.RowStateFunction).
     */
    public static Ledger createWithoutToast(Connection src, int rows) throws SQLException {
        Ledger ledger = create(src, rows, "varchar(40)");
        if (TestDatabases.count(
                        src,
                        "SELECT count(*) FROM pg_class WHERE oid = 'public.accounts'::regclass"
                                + " AND reltoastrelid = 0")
                != 1) {
            throw new IllegalStateException("public.accounts was given a TOAST relation");
        }
        return ledger;
    }

    private static Ledger create(Connection src, int rows, String ownerType) throws SQLException {
        exec(
                src,
                "CREATE TABLE public.accounts (id bigint PRIMARY KEY, owner "
                        + ownerType
                        + ", balance numeric(14,2), version int)",
                "INSERT INTO public.accounts SELECT g, 'owner ' || g, g * 1.25, 0 FROM generate_series(1, "
                        + rows
                        + ") g");
        Ledger ledger = new Ledger(TABLE, "id", "id, owner, balance, version");
        ledger.expectSnapshot(src);
        return ledger;
    }
}
