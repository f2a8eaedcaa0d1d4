package dev.flinkelt.bench;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The peers' client programs, each run by the benchmark in a JVM of its own (so its CPU time and
 * memory are its own): {@code copy SRC TGT}, {@code per-row SRC TGT SECONDS}, {@code flink-sql HOST
 * PORT DB TGT SLOT PARALLELISM}. URLs carry no password (the benchmark's servers trust loopback).
 */
public final class ContenderMain {
    private ContenderMain() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "copy" -> copy(args[1], args[2]);
            case "per-row" -> perRow(args[1], args[2], Double.parseDouble(args[3]));
            case "flink-sql" ->
                    FlinkSqlPipeline.run(
                            args[1],
                            Integer.parseInt(args[2]),
                            args[3],
                            args[4],
                            args[5],
                            Integer.parseInt(args[6]));
            default -> throw new IllegalArgumentException("unknown contender " + args[0]);
        }
    }

    /**
     * The ceiling: binary COPY out of the source streamed straight into COPY into the target, one
     * transaction.
     */
    static void copy(String source, String target) throws Exception {
        try (Connection s = DriverManager.getConnection(source, "postgres", "");
                Connection t = DriverManager.getConnection(target, "postgres", "")) {
            CopyOut out =
                    s.unwrap(PGConnection.class)
                            .getCopyAPI()
                            .copyOut("COPY " + BenchTable.QUALIFIED + " TO STDOUT (FORMAT binary)");
            CopyIn in =
                    t.unwrap(PGConnection.class)
                            .getCopyAPI()
                            .copyIn("COPY " + BenchTable.QUALIFIED + " FROM STDIN (FORMAT binary)");
            byte[] buf;
            while ((buf = out.readFromCopy()) != null) {
                in.writeToCopy(buf, 0, buf.length);
            }
            in.endCopy();
        }
    }

    /**
     * The classic script: read everything with a cursor, insert and commit row by row. Stops after
     * {@code seconds} (it would take hours on large tables); what it loaded by then is a prefix by
     * key, which the benchmark checks.
     */
    static void perRow(String source, String target, double seconds) throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        try (Connection s = DriverManager.getConnection(source, "postgres", "");
                Connection t = DriverManager.getConnection(target, "postgres", "")) {
            s.setAutoCommit(false);
            t.setAutoCommit(false);
            try (Statement st = s.createStatement();
                    PreparedStatement ins =
                            t.prepareStatement(
                                    "INSERT INTO "
                                            + BenchTable.QUALIFIED
                                            + " ("
                                            + BenchTable.COLUMNS
                                            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                st.setFetchSize(1000);
                try (ResultSet rs =
                        st.executeQuery(
                                "SELECT "
                                        + BenchTable.COLUMNS
                                        + " FROM "
                                        + BenchTable.QUALIFIED
                                        + " ORDER BY k")) {
                    while (rs.next() && System.nanoTime() < deadline) {
                        for (int i = 1; i <= 10; i++) {
                            ins.setObject(i, rs.getObject(i));
                        }
                        ins.executeUpdate();
                        t.commit();
                    }
                }
            }
        }
    }
}
