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
        exec(
                src,
                "CREATE TABLE public.accounts (id bigint PRIMARY KEY, owner text, balance numeric(14,2), version int)",
                "INSERT INTO public.accounts SELECT g, 'owner ' || g, g * 1.25, 0 FROM generate_series(1, "
                        + rows
                        + ") g");
        Ledger ledger = new Ledger(TABLE, "id", "id, owner, balance, version");
        ledger.expectSnapshot(src);
        return ledger;
    }
}
