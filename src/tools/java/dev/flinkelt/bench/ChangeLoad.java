package dev.flinkelt.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop change generator: small transactions of {@link #TX_SIZE} changes (60 % insert, 30 %
 * update, 10 % delete) started on a fixed schedule whatever the pipeline does, so a slow pipeline
 * shows as growing lag instead of a slower writer. Each row version written carries its
 * transaction's number in {@code b1}; the transaction id is recorded so the source commit time of
 * every number can be looked up afterwards.
 */
final class ChangeLoad {
    static final int TX_SIZE = 5;

    private final Connection conn;
    private final SplittableRandom random = new SplittableRandom(42);
    private long[] live;
    private int liveCount;
    private long nextKey;
    private long txSeq;
    private long changes;
    private final List<long[]> txids = new ArrayList<>(); // {tx number, xid}

    /** {@code conn} uses the simple query protocol so one transaction is one round trip. */
    ChangeLoad(Connection conn, long initialRows) {
        this.conn = conn;
        this.live = new long[(int) Math.max(16, initialRows * 2)];
        for (long k = 1; k <= initialRows; k++) {
            live[liveCount++] = k;
        }
        this.nextKey = initialRows + 1;
    }

    /**
     * Writes at {@code changesPerSecond} for {@code seconds}; returns the first and last
     * transaction number written and the changes made. Transactions that fall behind the schedule
     * run at once (no catch-up is skipped).
     */
    Window run(int changesPerSecond, double seconds) throws SQLException {
        long period = (long) (1e9 * TX_SIZE / changesPerSecond);
        long txs = (long) (seconds * changesPerSecond / TX_SIZE);
        long first = txSeq;
        long changesBefore = changes;
        long start = System.nanoTime();
        try (Statement st = conn.createStatement()) {
            for (long i = 0; i < txs; i++) {
                long due = start + i * period;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                transaction(st);
            }
        }
        double took = (System.nanoTime() - start) / 1e9;
        return new Window(first, txSeq - 1, changes - changesBefore, took);
    }

    private void transaction(Statement st) throws SQLException {
        long tx = txSeq++;
        StringBuilder sql = new StringBuilder("BEGIN;");
        for (int i = 0; i < TX_SIZE; i++) {
            int dice = random.nextInt(10);
            if (dice < 6 || liveCount < 100) {
                long k = nextKey++;
                sql.append("INSERT INTO ")
                        .append(BenchTable.QUALIFIED)
                        .append(" VALUES (")
                        .append(k)
                        .append(',')
                        .append(tx)
                        .append(',')
                        .append(k * 31)
                        .append(',')
                        .append(random.nextInt())
                        .append(',')
                        .append(random.nextDouble() * 1e6)
                        .append(',')
                        .append(random.nextDouble())
                        .append(",md5('")
                        .append(k)
                        .append("'),'v")
                        .append(random.nextInt(1_000_000))
                        .append("',DATE '2025-01-01' + ")
                        .append(random.nextInt(365))
                        .append(",clock_timestamp());");
                add(k);
            } else if (dice < 9) {
                long k = live[random.nextInt(liveCount)];
                sql.append("UPDATE ")
                        .append(BenchTable.QUALIFIED)
                        .append(" SET b1 = ")
                        .append(tx)
                        .append(", i1 = ")
                        .append(random.nextInt())
                        .append(", d1 = ")
                        .append(random.nextDouble())
                        .append(", v2 = 'u")
                        .append(random.nextInt(1_000_000))
                        .append("', ts = clock_timestamp() WHERE k = ")
                        .append(k)
                        .append(';');
            } else {
                int at = random.nextInt(liveCount);
                long k = live[at];
                live[at] = live[--liveCount];
                sql.append("DELETE FROM ")
                        .append(BenchTable.QUALIFIED)
                        .append(" WHERE k = ")
                        .append(k)
                        .append(';');
            }
            changes++;
        }
        sql.append("SELECT pg_current_xact_id()::text::bigint; COMMIT;");
        boolean isResult = st.execute(sql.toString());
        while (true) {
            if (isResult) {
                try (ResultSet rs = st.getResultSet()) {
                    rs.next();
                    txids.add(new long[] {tx, rs.getLong(1)});
                }
            } else if (st.getUpdateCount() == -1) {
                break;
            }
            isResult = st.getMoreResults();
        }
    }

    private void add(long k) {
        if (liveCount == live.length) {
            live = Arrays.copyOf(live, live.length * 2);
        }
        live[liveCount++] = k;
    }

    /**
     * Source commit time (µs since the epoch) of every transaction written, by transaction number.
     */
    Map<Long, Long> commitTimes() throws SQLException {
        Map<Long, Long> out = new HashMap<>(txids.size() * 2);
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT u.s, (extract(epoch FROM pg_xact_commit_timestamp(u.x::text::xid)) * 1000000)::bigint"
                                + " FROM unnest(?::bigint[], ?::bigint[]) AS u(s, x)")) {
            ps.setArray(1, conn.createArrayOf("bigint", txids.stream().map(t -> t[0]).toArray()));
            ps.setArray(2, conn.createArrayOf("bigint", txids.stream().map(t -> t[1]).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    long changes() {
        return changes;
    }

    /** Transactions {@code firstTx..lastTx} made {@code changes} changes in {@code seconds}. */
    record Window(long firstTx, long lastTx, long changes, double seconds) {}
}
