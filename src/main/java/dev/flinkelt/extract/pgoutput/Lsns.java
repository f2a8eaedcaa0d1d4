package dev.flinkelt.extract.pgoutput;

/** WAL positions as PostgreSQL writes them ({@code 16/B374D848}). */
public final class Lsns {
    private Lsns() {}

    public static String text(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase()
                + "/"
                + Long.toHexString(lsn & 0xffffffffL).toUpperCase();
    }
}
