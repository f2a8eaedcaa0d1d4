package dev.flinkelt.load;

import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.schema.Mapping;
import dev.flinkelt.schema.RawLayouts;
import dev.flinkelt.support.Poll;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keyed stage on Flink's operator test harness (heap state, manual processing time), without
 * any database: {@link Layouts} answers what the catalogs would (column 0 of every table is
 * fixed-width; DDL as a test sets it).
 */
class RowStateFunctionTest {
    static final String TABLE = "public.docs";
    static final String OTHER = "public.other";
    static final String[] COLUMNS = {"id", "body", "tag"};
    static final String[] TYPES = {"int4", "text", "text"};

    /**
     * Raw layouts without a server: every layout maps column i to i once its table's DDL is made.
     */
    static final class Layouts implements RawLayouts {
        /** Tables whose next layout needs DDL, and whether the raw table's lock is free for it. */
        final Map<String, Boolean> ddl = new ConcurrentHashMap<>();

        /** DDL tries so far (they run on the keyed stage's DDL thread). */
        final AtomicInteger tries = new AtomicInteger();

        /** Tables whose DDL the warehouse refuses. */
        final Set<String> refused = ConcurrentHashMap.newKeySet();

        /** Pauses recorded, as "table@lsn: reason". */
        final List<String> pauses = new CopyOnWriteArrayList<>();

        /** Tables whose DDL changes the type of a raw column that holds rows. */
        final Set<String> converts = ConcurrentHashMap.newKeySet();

        /** Where each table was resumed (absent: still paused). */
        final Map<String, Long> resumed = new ConcurrentHashMap<>();

        /** Whether a pin is to be had; the tables pinned now. */
        volatile boolean pinFree = true;

        final Set<String> pinned = ConcurrentHashMap.newKeySet();

        final AtomicInteger pinTries = new AtomicInteger();

        /** Positions of the rows whose mapping was asked while their table was pinned. */
        final List<Long> mappedWhilePinned = new CopyOnWriteArrayList<>();

        /** Positions of the rows converted again (mapped before they were held). */
        final List<Long> reconverted = new CopyOnWriteArrayList<>();

        volatile Thread worker;

        /**
         * Waits until {@code n} tries have run and the DDL thread is idle again (so the keyed stage
         * sees them done).
         */
        void awaitTries(int n) throws Exception {
            Poll.until(
                    Duration.ofSeconds(10),
                    () -> "DDL try " + n,
                    () -> tries.get() == n && worker.getState() == Thread.State.WAITING);
        }

        @Override
        public Mapping mapping(String table, String[] layout, String[] types, long lsn) {
            if (pinned.contains(table)) {
                mappedWhilePinned.add(lsn);
            }
            return ddl.containsKey(table) ? null : Mapping.identity(layout.length);
        }

        @Override
        public boolean apply(String table, String[] layout, String[] types, long lsn) {
            if (refused.contains(table)) {
                worker = Thread.currentThread();
                tries.incrementAndGet();
                throw new IllegalStateException(
                        "a new column of a captured table needs type \"public\".\"citext\"");
            }
            boolean lockFree = ddl.getOrDefault(table, true);
            if (lockFree) {
                ddl.remove(table);
            }
            worker = Thread.currentThread();
            tries.incrementAndGet(); // after the change: a test that sees the count sees the DDL
            // made
            return lockFree;
        }

        @Override
        public boolean convertsRows(String table, String[] layout, String[] types, long lsn) {
            return converts.contains(table);
        }

        @Override
        public void finish(Mapping m, ChangeEvent mapped) {}

        @Override
        public boolean pin(String table) {
            pinTries.incrementAndGet();
            if (pinFree) {
                pinned.add(table);
            }
            return pinFree;
        }

        @Override
        public void unpin() {
            pinned.clear();
        }

        @Override
        public void reconvert(ChangeEvent mapped) {
            reconverted.add(mapped.lsn);
        }

        @Override
        public boolean[] fixedWidth(String table) {
            return new boolean[] {true, false, false};
        }

        @Override
        public void pause(String table, long lsn, String sqlstate, String reason) {
            pauses.add(table + "@" + lsn + ": " + reason);
        }

        @Override
        public long resumedAt(String table) {
            return resumed.getOrDefault(table, -1L);
        }

        @Override
        public void close() {}
    }

    private final Layouts layouts = new Layouts();

    private InterceptingOperatorMetricGroup metrics;
    private KeyedOneInputStreamOperatorTestHarness<String, ChangeEvent, ChangeEvent> harness;
    private RowStateFunction fn;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void anUnchangedToastColumnGetsTheValueOfTheKeysLatestVersion() throws Exception {
        start(null);
        process(change(ChangeEvent.INSERT, "1", 100, "1", "first body", "a"));
        process(change(ChangeEvent.UPDATE, "1", 200, "1", "second body", "b"));
        process(unchangedAt(change(ChangeEvent.UPDATE, "1", 300, "1", null, "c"), 1));

        ChangeEvent last = output().get(2);
        assertThat(last.values).containsExactly("1", "second body", "c");
        assertThat(last.unchanged).as("the sink must not see the TOAST marker any more").isNull();
        assertThat(counter("toastValuesFilled").getCount()).isEqualTo(1);
        assertThat(counter("toastValuesMissing").getCount()).isZero();
    }

    @Test
    void anUnchangedColumnAfterADeleteIsWrittenAsNullAndCountedAsMissing() throws Exception {
        start(null);
        process(change(ChangeEvent.INSERT, "1", 100, "1", "body", "a"));
        process(change(ChangeEvent.DELETE, "1", 200, "1", null, null));
        process(unchangedAt(change(ChangeEvent.UPDATE, "1", 300, "1", null, "c"), 1));

        ChangeEvent last = output().get(2);
        assertThat(last.values).containsExactly("1", null, "c");
        assertThat(last.unchanged).isNull();
        assertThat(counter("toastValuesFilled").getCount()).isZero();
        assertThat(counter("toastValuesMissing").getCount()).isEqualTo(1);
    }

    @Test
    void aKeyIsNeverFilledFromAnotherKeysVersion() throws Exception {
        start(null);
        process(change(ChangeEvent.INSERT, "1", 100, "1", "body of one", "a"));
        process(unchangedAt(change(ChangeEvent.UPDATE, "2", 200, "2", null, "b"), 1));

        assertThat(output().get(1).values).containsExactly("2", null, "b");
        assertThat(counter("toastValuesMissing").getCount()).isEqualTo(1);
    }

    @Test
    void eachKeysEventsAreNumberedFromOneInArrivalOrder() throws Exception {
        start(null);
        process(change(ChangeEvent.INSERT, "a", 10, "a", "x", "1"));
        process(change(ChangeEvent.INSERT, "b", 11, "b", "x", "1"));
        process(change(ChangeEvent.UPDATE, "a", 12, "a", "y", "2"));
        process(change(ChangeEvent.DELETE, "a", 13, "a", null, null));
        process(change(ChangeEvent.UPDATE, "b", 14, "b", "y", "2"));
        process(change(ChangeEvent.INSERT, "a", 15, "a", "z", "3"));

        assertThat(output())
                .extracting(e -> e.key.substring(TABLE.length() + 1) + e.seq)
                .containsExactly("a1", "b1", "a2", "a3", "b2", "a4");
    }

    @Test
    void theKeptVersionLeavesOutFixedWidthColumnsButStillFillsToast() throws Exception {
        start(null);
        process(change(ChangeEvent.INSERT, "1", 100, "1", "body", "a"));

        RowStateFunction.RowState kept = rowState(TABLE + "|1");
        assertThat(kept.values)
                .as("column 0 is fixed-width (see start)")
                .containsExactly(null, "body", "a");
        assertThat(kept.seq).isEqualTo(1);
        assertThat(kept.lsn).isEqualTo(100);
        assertThat(output().get(0).values)
                .as("the emitted row keeps every value")
                .containsExactly("1", "body", "a");

        process(unchangedAt(change(ChangeEvent.UPDATE, "1", 200, "1", null, "b"), 1));
        assertThat(output().get(1).values).containsExactly("1", "body", "b");
    }

    @Test
    void aRestoredStageFillsToastAndGoesOnNumberingFromItsCheckpoint() throws Exception {
        start(null);
        process(change(ChangeEvent.INSERT, "1", 100, "1", "body", "a"));
        process(change(ChangeEvent.UPDATE, "1", 200, "1", "newer body", "b"));
        OperatorSubtaskState checkpoint = harness.snapshot(1, 1);
        process(change(ChangeEvent.UPDATE, "1", 300, "1", "lost with the failure", "c"));
        harness.close();

        start(checkpoint);
        process(unchangedAt(change(ChangeEvent.UPDATE, "1", 300, "1", null, "c"), 1));

        ChangeEvent replayed = output().get(0);
        assertThat(replayed.values).containsExactly("1", "newer body", "c");
        assertThat(replayed.seq)
                .as("the event after the checkpoint gets the same _seq again")
                .isEqualTo(3);
    }

    @Test
    void aSnapshotRowIsPlacedAfterTheKeysLastChangeAndNoEarlierThanItsFloor() throws Exception {
        start(null);
        process(change(ChangeEvent.INSERT, "1", 500, "1", "x", "a"));
        process(snapshotRow("1", 300, 900));
        process(snapshotRow("1", 700, 900));

        assertThat(output()).extracting(e -> e.lsn).containsExactly(500L, 500L, 700L);
        assertThat(output()).extracting(e -> e.seq).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aSnapshotRowOfAKeyWithoutStateTakesItsFloor() throws Exception {
        start(null);
        process(snapshotRow("1", 300, 900));

        assertThat(output().get(0).lsn).isEqualTo(300);
        assertThat(output().get(0).seq).isEqualTo(1);
    }

    @Test
    void aFirstSnapshotRowOfATableWithoutToastLeavesNoStateAndTheKeysNextChangeSortsAfterIt()
            throws Exception {
        start(null);
        process(toastFree(snapshotRow("1", 300, 900)));
        assertThat(rowState(TABLE + "|1")).as("nothing kept for the snapshot row").isNull();

        process(change(ChangeEvent.UPDATE, "1", 1_000, "1", "new", "b"));
        process(change(ChangeEvent.UPDATE, "1", 1_100, "1", "newer", "c"));

        assertThat(output())
                .extracting(e -> e.lsn + "/" + e.seq)
                .as("the snapshot row as a kept one would be, and the changes after it")
                .containsExactly("300/1", "1000/2", "1100/3");
        assertThat(rowState(TABLE + "|1").values)
                .as("the first change is kept")
                .containsExactly(null, "newer", "c");
    }

    @Test
    void aSnapshotRowKeptAsCopyTextGoesOutUnsplitUnlessItsValuesAreKeptOrHeld() throws Exception {
        start(null);
        process(copyText(toastFree(snapshotRow("1", 300, 900)), "1\tsn\\tap\ts\n"));
        assertThat(output().get(0).copyText).as("no state: loaded as read").isNotNull();
        assertThat(output().get(0).values).isNull();

        // a key with state keeps the row's values: split for it
        process(change(ChangeEvent.UPDATE, "2", 1_000, "2", "x", "y"));
        process(copyText(toastFree(snapshotRow("2", 0, 2_000)), "2\tsn\\tap\t\\N\n"));
        ChangeEvent kept = output().get(2);
        assertThat(kept.copyText).isNull();
        assertThat(kept.values).containsExactly("2", "sn\tap", null);
        assertThat(rowState(TABLE + "|2").values).containsExactly(null, "sn\tap", null);

        // a row held for DDL waits in state, which has no COPY text: split before it waits
        layouts.ddl.put(TABLE, true);
        process(newLayout(change(ChangeEvent.INSERT, "3", 2_100, "3", "new", "n")));
        process(copyText(toastFree(snapshotRow("4", 300, 2_200)), "4\tfour\ts\n"));
        layouts.awaitTries(1);
        harness.setProcessingTime(2_000);
        assertThat(output())
                .filteredOn(e -> e.key.endsWith("|4"))
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.copyText).isNull();
                            assertThat(e.values).containsExactly("4", "four", "s");
                        });
    }

    @Test
    void aReSnapshotOfAKeyLeftWithoutStateIsPlacedAfterItsFirstSnapshotRow() throws Exception {
        start(null);
        process(toastFree(snapshotRow("1", 300, 900)));
        process(toastFree(snapshotRow("2", 300, 900)));
        // a re-snapshot: no floor, its place comes from the key's last version
        process(toastFree(snapshotRow("1", 0, 5_000)));
        process(change(ChangeEvent.UPDATE, "1", 6_000, "1", "new", "b"));

        assertThat(output())
                .extracting(e -> e.key.substring(TABLE.length() + 1) + "@" + e.lsn + "/" + e.seq)
                .containsExactly("1@300/1", "2@300/1", "1@300/2", "1@6000/3");
    }

    @Test
    void theFloorsOfRowsLeftWithoutStateSurviveARestoreOnEverySubtask() throws Exception {
        start(null);
        process(toastFree(snapshotRow("1", 300, 900)));
        OperatorSubtaskState checkpoint = harness.snapshot(1, 1);
        harness.close();

        start(checkpoint);
        process(change(ChangeEvent.UPDATE, "1", 1_000, "1", "new", "b"));

        assertThat(output().get(0).seq)
                .as("placed after the row emitted before the checkpoint")
                .isEqualTo(2);
    }

    @Test
    void aSnapshotRowOfATableWithToastIsKeptToFillALaterUnchangedValue() throws Exception {
        start(null);
        process(snapshotRow("1", 300, 900));
        process(unchangedAt(change(ChangeEvent.UPDATE, "1", 1_000, "1", null, "b"), 1));

        assertThat(output().get(1).values).containsExactly("1", "snap", "b");
        assertThat(output().get(1).seq).isEqualTo(2);
        assertThat(counter("toastValuesMissing").getCount()).isZero();
    }

    @Test
    void aSnapshotRowWithoutAFloorOrOfAKeyWithStateIsKeptEvenWithoutToast() throws Exception {
        start(null);
        // a re-snapshot's row has no floor: its place comes from the key's state
        process(toastFree(snapshotRow("1", 0, 900)));
        process(change(ChangeEvent.INSERT, "2", 500, "2", "x", "a"));
        process(toastFree(snapshotRow("2", 300, 900)));

        assertThat(rowState(TABLE + "|1")).isNotNull();
        assertThat(rowState(TABLE + "|2").seq).isEqualTo(2);
        assertThat(output())
                .extracting(e -> e.lsn + "/" + e.seq)
                .containsExactly("0/1", "500/1", "500/2");
    }

    @Test
    void aSnapshotRowOnStateWithoutAPositionTakesItsHighMark() throws Exception {
        start(null);
        // state of a version that kept no position: a sequence number but lsn 0
        process(change(ChangeEvent.INSERT, "1", 0, "1", "x", "a"));
        process(snapshotRow("1", 300, 900));

        assertThat(output().get(1).lsn).isEqualTo(900);
    }

    @Test
    void aRowOfFlinkCdcsOwnSnapshotKeepsItsPosition() throws Exception {
        start(null);
        process(change(ChangeEvent.INSERT, "1", 500, "1", "x", "a"));
        ChangeEvent legacy = change(ChangeEvent.READ, "1", 42, "1", "x", "a");
        legacy.txId = ChangeEvent.NONE; // no generation and no floor
        process(legacy);

        assertThat(output().get(1).lsn).isEqualTo(42);
        assertThat(output().get(1).seq).isEqualTo(2);
    }

    @Test
    void rowsOfATableWaitingForDdlAreHeldInKeyOrderWhileOtherTablesFlow() throws Exception {
        start(null);
        layouts.ddl.put(
                TABLE, false); // a new layout whose DDL does not get the raw table's lock yet
        process(newLayout(change(ChangeEvent.INSERT, "1", 100, "1", "x", "a")));
        process(newLayout(change(ChangeEvent.UPDATE, "1", 200, "1", "y", "b")));
        ChangeEvent other = change(ChangeEvent.INSERT, "9", 150, "9", "o", "o");
        other.table = OTHER;
        other.key = OTHER + "|9";
        process(other);
        assertThat(output()).extracting(e -> e.table).containsExactly(OTHER);

        layouts.awaitTries(1);
        harness.setProcessingTime(
                200); // key 1 tries again; the lock is still taken: nothing is released
        layouts.awaitTries(2);
        assertThat(output()).hasSize(1);

        harness.setProcessingTime(300);
        process(newLayout(change(ChangeEvent.INSERT, "2", 250, "2", "k", "k"))); // key 2 waits too
        layouts.ddl.put(TABLE, true); // the lock is free
        harness.setProcessingTime(400); // key 2's try makes the DDL
        layouts.awaitTries(3);
        assertThat(layouts.ddl).isEmpty();

        harness.setProcessingTime(
                1_200); // key 1's next try maps the layout: its rows go on, in order
        assertThat(output()).extracting(e -> e.lsn).containsExactly(150L, 100L, 200L);
        // key 2 still holds its row until its own try: a newer row of key 2 must not overtake it
        process(newLayout(change(ChangeEvent.UPDATE, "2", 350, "2", "l", "l")));
        assertThat(output()).hasSize(3);

        harness.setProcessingTime(1_400);
        List<ChangeEvent> out = output();
        assertThat(out).extracting(e -> e.lsn).containsExactly(150L, 100L, 200L, 250L, 350L);
        assertThat(out).extracting(e -> e.seq).containsExactly(1L, 1L, 2L, 1L, 2L);
        assertThat(out).noneMatch(ChangeEvent::unmapped);
        assertThat(rowState(TABLE + "|1").held).isZero();
        assertThat(rowState(TABLE + "|2").held).isZero();
    }

    @Test
    void aTypeChangeWaitsForACheckpointCompletedAfterItsRowSoEarlierRowsAreLoadedFirst()
            throws Exception {
        start(null);
        layouts.ddl.put(TABLE, true);
        layouts.converts.add(TABLE);
        harness.snapshot(1, 10);
        process(newLayout(change(ChangeEvent.UPDATE, "1", 100, "1", "x", "a")));
        // checkpoint 1 was taken before the row: its completion says nothing of rows in flight
        harness.notifyOfCompletedCheckpoint(1);
        harness.setProcessingTime(500);
        harness.setProcessingTime(1_000);
        assertThat(layouts.tries).hasValue(0);
        assertThat(output()).isEmpty();

        harness.snapshot(2, 20); // its barrier follows the row
        harness.setProcessingTime(1_500);
        assertThat(layouts.tries).hasValue(0);
        harness.notifyOfCompletedCheckpoint(2);
        harness.setProcessingTime(3_000); // the key's next try (a second apart) makes the change
        layouts.awaitTries(1);
        harness.setProcessingTime(5_000);
        assertThat(output()).extracting(e -> e.lsn).containsExactly(100L);
    }

    @Test
    void heldRowsGoOutOnlyUnderAPinThatLastsUntilACheckpointAfterThemCompletes() throws Exception {
        start(null);
        layouts.ddl.put(TABLE, true);
        process(newLayout(change(ChangeEvent.INSERT, "1", 100, "1", "x", "a"))); // needs DDL
        process(change(ChangeEvent.UPDATE, "2", 120, "2", "y", "b")); // mapped, held behind it
        layouts.awaitTries(1);
        layouts.pinFree = false; // another subtask's type change holds the raw table
        harness.setProcessingTime(200);
        harness.setProcessingTime(1_200);
        assertThat(output()).as("no row goes out without a pin").isEmpty();
        assertThat(layouts.pinTries)
                .as("a pin not to be had is tried once a second for the table, not per held key")
                .hasValue(2);

        layouts.pinFree = true;
        harness.snapshot(3, 30);
        harness.setProcessingTime(2_200);
        assertThat(output()).extracting(e -> e.lsn).containsExactlyInAnyOrder(100L, 120L);
        assertThat(layouts.mappedWhilePinned)
                .as("the unmapped row is mapped for the columns as the pin keeps them")
                .contains(100L);
        assertThat(layouts.reconverted)
                .as("the row mapped before it was held is converted again, under the pin")
                .containsExactly(120L);

        harness.notifyOfCompletedCheckpoint(3); // taken before the rows went out
        assertThat(layouts.pinned).containsExactly(TABLE);
        harness.snapshot(4, 40); // its barrier follows them: they are in its transactions
        harness.notifyOfCompletedCheckpoint(4);
        assertThat(layouts.pinned).isEmpty();

        // rows in stream order need no pin
        process(change(ChangeEvent.UPDATE, "1", 130, "1", "z", "c"));
        assertThat(output()).extracting(e -> e.lsn).contains(130L);
        assertThat(layouts.pinned).isEmpty();
    }

    @Test
    void aTableWhoseDdlTheWarehouseRefusesIsPausedAloneAndResumedWithoutItsOlderRows()
            throws Exception {
        start(null);
        layouts.ddl.put(TABLE, true);
        layouts.refused.add(TABLE);
        process(newLayout(change(ChangeEvent.INSERT, "1", 100, "1", "x", "a")));
        layouts.awaitTries(1);
        harness.setProcessingTime(200); // the try's failure is seen: the table is paused
        assertThat(layouts.pauses)
                .containsExactly(
                        TABLE
                                + "@100: a new column of a captured table needs type \"public\".\"citext\"");
        assertThat(metrics.get("pausedTables")).isNotNull();
        process(change(ChangeEvent.UPDATE, "1", 300, "1", "y", "b")); // held: the table is paused
        process(change(ChangeEvent.UPDATE, "2", 320, "2", "y", "b")); // another key, held too
        ChangeEvent other = change(ChangeEvent.INSERT, "9", 310, "9", "o", "o");
        other.table = OTHER;
        other.key = OTHER + "|9";
        process(other);
        assertThat(output()).extracting(e -> e.table).containsExactly(OTHER);

        // resumed at 400 (resnapshot: a t row and a new snapshot follow): rows before it go, of
        // every key
        layouts.refused.remove(TABLE);
        layouts.ddl.remove(TABLE);
        layouts.resumed.put(TABLE, 400L);
        process(change(ChangeEvent.UPDATE, "1", 450, "1", "z", "c"));
        harness.setProcessingTime(5_000);
        assertThat(output()).extracting(e -> e.lsn).containsExactly(310L, 450L);
        assertThat(rowState(TABLE + "|1").held).isZero();
        assertThat(rowState(TABLE + "|2").held).isZero();
    }

    @Test
    void rowsOfATableWithoutAKeyKeepTheirPlaceAndLeaveNoState() throws Exception {
        start(null);
        ChangeEvent e = change(ChangeEvent.INSERT, "x", 500, "1", "a", "b");
        e.key = "\u0000" + TABLE + "\u0000abc";
        e.seq = 3;
        process(e);
        assertThat(output()).extracting(o -> o.lsn + "/" + o.seq).containsExactly("500/3");
        assertThat(rowState(e.key)).isNull();
    }

    // --- harness and events

    /**
     * A fresh harness around a new RowStateFunction, restored from {@code checkpoint} when given.
     */
    private void start(OperatorSubtaskState checkpoint) throws Exception {
        metrics = new InterceptingOperatorMetricGroup();
        InterceptingOperatorMetricGroup operatorMetrics = metrics;
        MockEnvironment env =
                new MockEnvironmentBuilder()
                        .setMetricGroup(
                                new UnregisteredMetricGroups.UnregisteredTaskMetricGroup() {
                                    @Override
                                    public InternalOperatorMetricGroup getOrAddOperator(
                                            OperatorID id, String name) {
                                        return operatorMetrics;
                                    }
                                })
                        .build();
        Layouts shared = layouts;
        fn = new RowStateFunction(null, role -> shared);
        KeySelector<ChangeEvent, String> byKey = e -> e.key;
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(fn), byKey, Types.STRING, env);
        // the stream's own serializer, as in the job (the POJO one would drop a row's COPY text)
        harness.setup(dev.flinkelt.extract.ChangeEventSerializer.INSTANCE);
        if (checkpoint != null) {
            harness.initializeState(checkpoint);
        }
        harness.open();
    }

    private void process(ChangeEvent e) throws Exception {
        harness.processElement(e, 0);
    }

    private List<ChangeEvent> output() {
        return harness.extractOutputValues();
    }

    private Counter counter(String name) {
        return (Counter) metrics.get(name);
    }

    private RowStateFunction.RowState rowState(String key) throws Exception {
        harness.getOperator().setCurrentKey(key);
        ValueState<RowStateFunction.RowState> s =
                harness.getOperator()
                        .getKeyedStateStore()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "row",
                                        TypeInformation.of(RowStateFunction.RowState.class)));
        return s.value();
    }

    static ChangeEvent change(char op, String key, long lsn, String... values) {
        ChangeEvent e = new ChangeEvent();
        e.table = TABLE;
        e.key = TABLE + "|" + key;
        e.op = op;
        e.lsn = lsn;
        e.txId = 1_000 + lsn;
        e.sourceTsMicros = ChangeEvent.NONE;
        e.values = values;
        return e;
    }

    /** The event as it comes in a row layout the keyed stage has not mapped yet. */
    static ChangeEvent newLayout(ChangeEvent e) {
        e.columns = COLUMNS;
        e.types = TYPES;
        e.layout = 2;
        return e;
    }

    /** Marks column {@code i} as unchanged TOAST, as the stream decoder does (value left null). */
    static ChangeEvent unchangedAt(ChangeEvent e, int i) {
        e.unchanged = new boolean[e.values.length];
        e.unchanged[i] = true;
        return e;
    }

    /** The row as the snapshot hands it on when it needs no state: its COPY text, no values. */
    static ChangeEvent copyText(ChangeEvent e, String text) {
        e.keepCopyText(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), COLUMNS.length);
        return e;
    }

    /** Marks a snapshot row as read from a table without a TOAST relation. */
    static ChangeEvent toastFree(ChangeEvent e) {
        e.toastFree = true;
        return e;
    }

    /**
     * A row of track.Snapshotter: a generation in txId, the lowest position in seq, the high mark
     * in lsn.
     */
    static ChangeEvent snapshotRow(String key, long floor, long highMark) {
        ChangeEvent e = change(ChangeEvent.READ, key, highMark, key, "snap", "s");
        e.txId = 5;
        e.seq = floor;
        return e;
    }
}
