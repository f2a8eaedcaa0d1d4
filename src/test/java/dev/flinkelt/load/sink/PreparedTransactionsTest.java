package dev.flinkelt.load.sink;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static dev.flinkelt.load.sink.TransactionNameTest.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which prepared transactions a starting run rolls back. The decision lives in
 * PreparedTransactions.strays, which reads pg_prepared_xacts through a JDBC connection; here that
 * connection is a stand-in that lists gids and records the statements run on it.
 */
class PreparedTransactionsTest {
    static final String PIPELINE = TransactionName.pipelineOf(config("warehouse", "raw", "shop"));

    /**
     * The same slot on another warehouse database: another pipeline, whose transactions are not
     * ours.
     */
    static final String SAME_SLOT_OTHER_DATABASE =
            TransactionName.pipelineOf(config("warehouse2", "raw", "shop"));

    static final String OTHER_SLOT =
            TransactionName.pipelineOf(config("warehouse", "raw", "shop2"));

    static String gid(String pipeline, int subtask, long checkpoint) {
        return new TransactionName(pipeline, subtask, checkpoint, "run0").gid();
    }

    @Test
    void aRestoredRunRollsBackOnlyTransactionsNamedAfterItsCheckpoint() throws SQLException {
        FakeWarehouse wh =
                new FakeWarehouse(
                        gid(PIPELINE, 0, 4),
                        gid(PIPELINE, 0, 5),
                        gid(PIPELINE, 0, 6),
                        gid(PIPELINE, 1, 9));

        // <= 5: prepared at or before checkpoint 5's barrier, so committed by the restored
        // committer state
        assertThat(
                        PreparedTransactions.strays(
                                wh.connection(), PIPELINE, OptionalLong.of(5), s -> true))
                .containsExactly(gid(PIPELINE, 0, 6), gid(PIPELINE, 1, 9));
    }

    @Test
    void aFreshStartRollsBackEveryTransactionOfThePipeline() throws SQLException {
        FakeWarehouse wh =
                new FakeWarehouse(
                        gid(PIPELINE, 0, 0), gid(PIPELINE, 0, 1), gid(PIPELINE, 3, Long.MAX_VALUE));

        assertThat(
                        PreparedTransactions.strays(
                                wh.connection(), PIPELINE, OptionalLong.empty(), s -> true))
                .containsExactly(
                        gid(PIPELINE, 0, 0), gid(PIPELINE, 0, 1), gid(PIPELINE, 3, Long.MAX_VALUE));
    }

    @Test
    void transactionsOfOtherPipelinesAndOtherSoftwareAreLeftAlone() throws SQLException {
        FakeWarehouse wh =
                new FakeWarehouse(
                        gid(SAME_SLOT_OTHER_DATABASE, 0, 9),
                        gid(OTHER_SLOT, 0, 9),
                        "202_AAAA_BBBB",
                        "flink-elt:shop:garbage",
                        "someone's 'own' gid",
                        gid(PIPELINE, 0, 9));

        assertThat(
                        PreparedTransactions.strays(
                                wh.connection(), PIPELINE, OptionalLong.empty(), s -> true))
                .containsExactly(gid(PIPELINE, 0, 9));
    }

    @Test
    void afterARescaleEachWriterTakesItsOwnOldSubtasksAndTogetherTheyTakeAll() throws SQLException {
        List<String> old = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            old.add(gid(PIPELINE, s, 8));
        }
        FakeWarehouse wh = new FakeWarehouse(old.toArray(String[]::new));
        int parallelism = 2;
        List<String> taken = new ArrayList<>();
        for (int writer = 0; writer < parallelism; writer++) {
            int w = writer;
            // the predicate RawSinkWriter passes (mirrored: it is a lambda in its constructor)
            List<String> mine =
                    PreparedTransactions.strays(
                            wh.connection(),
                            PIPELINE,
                            OptionalLong.of(7),
                            s -> s % parallelism == w);
            assertThat(mine)
                    .allSatisfy(
                            g ->
                                    assertThat(
                                                    TransactionName.parse(g).orElseThrow().subtask()
                                                            % parallelism)
                                            .isEqualTo(w));
            taken.addAll(mine);
        }
        assertThat(taken).containsExactlyInAnyOrderElementsOf(old);
    }

    @Test
    void rollBackStraysRollsBackEachStrayByItsQuotedGidAndCountsThem() throws SQLException {
        FakeWarehouse wh =
                new FakeWarehouse(
                        gid(PIPELINE, 0, 3),
                        gid(PIPELINE, 0, 4),
                        gid(PIPELINE, 1, 5),
                        "202_AAAA_BBBB");

        int n =
                PreparedTransactions.rollBackStrays(
                        wh.connection(), PIPELINE, OptionalLong.of(3), s -> true);

        assertThat(n).isEqualTo(2);
        assertThat(wh.rolledBack).containsExactly(gid(PIPELINE, 0, 4), gid(PIPELINE, 1, 5));
        assertThat(wh.prepared).containsExactly(gid(PIPELINE, 0, 3), "202_AAAA_BBBB");
    }

    @Test
    void aStrayThatEndedMeanwhileIsSkippedAndNotCounted() throws SQLException {
        FakeWarehouse wh = new FakeWarehouse(gid(PIPELINE, 0, 4), gid(PIPELINE, 1, 5));
        wh.failures.put(
                gid(PIPELINE, 0, 4),
                "42704"); // committed or rolled back by its owner since the listing

        int n =
                PreparedTransactions.rollBackStrays(
                        wh.connection(), PIPELINE, OptionalLong.empty(), s -> true);

        assertThat(n).isEqualTo(1);
        assertThat(wh.rolledBack).containsExactly(gid(PIPELINE, 1, 5));
    }

    @Test
    void anyOtherRollbackErrorFailsTheStart() {
        FakeWarehouse wh = new FakeWarehouse(gid(PIPELINE, 0, 4), gid(PIPELINE, 1, 5));
        wh.failures.put(
                gid(PIPELINE, 0, 4),
                "42501"); // insufficient privilege: the stray would hold its locks forever

        assertThatThrownBy(
                        () ->
                                PreparedTransactions.rollBackStrays(
                                        wh.connection(), PIPELINE, OptionalLong.empty(), s -> true))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
    }

    @Test
    void
            aRestoredWriterCommitsItsOldSubtasksTransactionsOfCompletedCheckpointsThatNoCommitterHolds()
                    throws SQLException {
        // after a warehouse failover to an asynchronous standby: the PREPAREs of checkpoints 4 and
        // 5 arrived, their COMMIT PREPARED did not; the committer state of checkpoint 5 no longer
        // lists 4
        FakeWarehouse wh =
                new FakeWarehouse(
                        gid(PIPELINE, 0, 4),
                        gid(PIPELINE, 2, 5),
                        gid(PIPELINE, 1, 5),
                        gid(PIPELINE, 0, 6),
                        gid(OTHER_SLOT, 0, 3));

        int n = PreparedTransactions.commitCompleted(wh.connection(), PIPELINE, 5, s -> s % 2 == 0);

        assertThat(n).isEqualTo(2);
        assertThat(wh.committed).containsExactly(gid(PIPELINE, 0, 4), gid(PIPELINE, 2, 5));
        assertThat(wh.prepared)
                .as("another writer's, one after the checkpoint, another pipeline's")
                .containsExactly(gid(PIPELINE, 1, 5), gid(PIPELINE, 0, 6), gid(OTHER_SLOT, 0, 3));
    }

    @Test
    void aTransactionACommitterFinishesMeanwhileIsSkipped() throws SQLException {
        FakeWarehouse wh = new FakeWarehouse(gid(PIPELINE, 0, 4), gid(PIPELINE, 1, 4));
        wh.failures.put(gid(PIPELINE, 0, 4), PreparedTransactions.BUSY);
        wh.failures.put(gid(PIPELINE, 1, 4), "42704");

        assertThat(PreparedTransactions.commitCompleted(wh.connection(), PIPELINE, 4, s -> true))
                .isZero();

        wh.failures.put(gid(PIPELINE, 1, 4), "53300"); // too many connections: not skipped
        assertThatThrownBy(
                        () ->
                                PreparedTransactions.commitCompleted(
                                        wh.connection(), PIPELINE, 4, s -> true))
                .isInstanceOf(SQLException.class);
    }

    /**
     * A warehouse that knows three statements: the listing of pg_prepared_xacts, ROLLBACK PREPARED
     * '<gid>' and COMMIT PREPARED '<gid>'. Anything else fails, so a change of the SQL shows here.
     */
    static final class FakeWarehouse {
        final List<String> prepared;
        final List<String> rolledBack = new ArrayList<>();
        final List<String> committed = new ArrayList<>();

        /** gid → the SQLState its ROLLBACK PREPARED fails with. */
        final Map<String, String> failures = new HashMap<>();

        FakeWarehouse(String... gids) {
            this.prepared = new ArrayList<>(List.of(gids));
        }

        Connection connection() {
            return proxy(
                    Connection.class,
                    (method, args) ->
                            switch (method) {
                                case "createStatement" -> statement();
                                case "close" -> null;
                                default ->
                                        throw new UnsupportedOperationException(
                                                "Connection." + method);
                            });
        }

        private Statement statement() {
            return proxy(
                    Statement.class,
                    (method, args) ->
                            switch (method) {
                                case "executeQuery" -> {
                                    String sql = (String) args[0];
                                    if (!sql.contains("FROM pg_prepared_xacts")
                                            || !sql.contains("current_database()")) {
                                        throw new SQLException("unexpected query: " + sql);
                                    }
                                    yield rows(new ArrayList<>(prepared).iterator());
                                }
                                case "execute" -> {
                                    finish((String) args[0]);
                                    yield true;
                                }
                                case "close" -> null;
                                default ->
                                        throw new UnsupportedOperationException(
                                                "Statement." + method);
                            });
        }

        private void finish(String sql) throws SQLException {
            boolean commit = sql.startsWith("COMMIT PREPARED '");
            String prefix = commit ? "COMMIT PREPARED '" : "ROLLBACK PREPARED '";
            if (!sql.startsWith(prefix) || !sql.endsWith("'")) {
                throw new SQLException("unexpected statement: " + sql);
            }
            String gid = sql.substring(prefix.length(), sql.length() - 1).replace("''", "'");
            String state = failures.get(gid);
            if (state != null) {
                throw new SQLException("rollback failed", state);
            }
            if (!prepared.remove(gid)) {
                throw new SQLException(
                        "prepared transaction with identifier does not exist", "42704");
            }
            (commit ? committed : rolledBack).add(gid);
        }

        private static ResultSet rows(Iterator<String> gids) {
            String[] current = new String[1];
            return proxy(
                    ResultSet.class,
                    (method, args) ->
                            switch (method) {
                                case "next" -> {
                                    current[0] = gids.hasNext() ? gids.next() : null;
                                    yield current[0] != null;
                                }
                                case "getString" -> {
                                    if (!Integer.valueOf(1).equals(args[0])) {
                                        throw new SQLException("only column 1 (gid) is listed");
                                    }
                                    yield current[0];
                                }
                                case "close" -> null;
                                default ->
                                        throw new UnsupportedOperationException(
                                                "ResultSet." + method);
                            });
        }

        interface Handler {
            Object handle(String method, Object[] args) throws Exception;
        }

        private static <T> T proxy(Class<T> type, Handler h) {
            return type.cast(
                    Proxy.newProxyInstance(
                            PreparedTransactionsTest.class.getClassLoader(),
                            new Class<?>[] {type},
                            (p, m, args) -> h.handle(m.getName(), args)));
        }
    }
}
