package dev.flinkelt.extract;

import dev.flinkelt.config.TablePatterns;
import dev.flinkelt.extract.pgoutput.PgOutputBytes;
import dev.flinkelt.extract.pgoutput.PgOutputParser;
import dev.flinkelt.extract.pgoutput.StreamPosition;
import dev.flinkelt.extract.pgoutput.TypeResolver;
import dev.flinkelt.pg.ColumnType;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static dev.flinkelt.extract.pgoutput.PgOutputBytes.UNCHANGED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChangeDecoderTest {
    static final int INT4 = 23;
    static final int TEXT = 25;
    static final int NUMERIC = 1700;
    static final int ITEMS = 16400;
    static final int OTHER = 16401;
    static final int ODD = 16402;

    /** What the decoder handed on: events with their positions, and positions alone. */
    static final class Recorded implements ChangeDecoder.Output {
        final List<ChangeEvent> events = new ArrayList<>();
        final List<StreamPosition> positions = new ArrayList<>();
        StreamPosition last;

        @Override
        public void emit(ChangeEvent e, StreamPosition after) {
            events.add(e);
            positions.add(after);
            last = after;
        }

        @Override
        public void advance(StreamPosition position) {
            last = position;
        }
    }

    /** Names every type after its OID, keeping the modifier (no catalog needed). */
    static final TypeResolver TYPES =
            (oid, typmod, ns, name) ->
                    new ColumnType(
                            ns == null ? "pg_catalog" : ns,
                            name == null ? "t" + oid : name,
                            typmod,
                            name == null ? "t" + oid : name,
                            'b',
                            false,
                            ns == null ? "pg_catalog" : ns,
                            name == null ? "t" + oid : name);

    final Recorded out = new Recorded();

    ChangeDecoder decoder(StreamPosition start) {
        return new ChangeDecoder(
                start,
                new TablePatterns(List.of("public.*", "\"odd.schema\".*"))::matches,
                "flink-elt",
                TYPES,
                out);
    }

    static void feed(ChangeDecoder d, long lsn, ByteBuffer... messages) {
        for (ByteBuffer m : messages) {
            d.messageAt(lsn);
            PgOutputParser.parse(m, d);
        }
    }

    static ByteBuffer items() {
        return PgOutputBytes.relation(
                ITEMS,
                "public",
                "items",
                'd',
                new PgOutputBytes.Col(true, "id", INT4, -1),
                new PgOutputBytes.Col(false, "note", TEXT, -1),
                new PgOutputBytes.Col(false, "price", NUMERIC, (12 << 16 | 3) + 4));
    }

    @Test
    void valuesArriveAsTheSourcePrintedThemWithTheirTransactionAndCommitTime() {
        ChangeDecoder d = decoder(StreamPosition.at(100));
        feed(d, 200, PgOutputBytes.begin(300, 1_000_000, 42), items());
        feed(d, 210, PgOutputBytes.insert(ITEMS, "1", "a\tb\\c\nd", "-Infinity"));
        feed(d, 220, PgOutputBytes.update(ITEMS, (char) 0, null, "1", null, "NaN"));
        feed(d, 230, PgOutputBytes.delete(ITEMS, 'K', "1", null, null));
        feed(d, 300, PgOutputBytes.commit(300, 320, 1_000_000));

        assertThat(out.events).extracting(e -> e.op).containsExactly('c', 'u', 'd');
        ChangeEvent insert = out.events.get(0);
        assertThat(insert.table).isEqualTo("public.items");
        assertThat(insert.values).containsExactly("1", "a\tb\\c\nd", "-Infinity");
        assertThat(insert.columns).containsExactly("id", "note", "price");
        assertThat(ColumnType.decode(insert.types[2]).typmod()).isEqualTo((12 << 16 | 3) + 4);
        assertThat(insert.lsn).isEqualTo(210);
        assertThat(insert.txId).isEqualTo(42);
        // protocol times count from 2000-01-01
        assertThat(insert.sourceTsMicros).isEqualTo(946_684_800_000_000L + 1_000_000);
        assertThat(out.events.get(1).values).containsExactly("1", null, "NaN");
        assertThat(out.events.get(2).values).containsExactly("1", null, null);
        assertThat(out.positions)
                .containsExactly(
                        StreamPosition.inside(300, 1),
                        StreamPosition.inside(300, 2),
                        StreamPosition.inside(300, 3));
        assertThat(out.last).isEqualTo(StreamPosition.at(320));
    }

    @Test
    void aRestartInsideATransactionSkipsWhatWasEmittedAndNothingElse() {
        ChangeDecoder d = decoder(StreamPosition.inside(300, 2));
        feed(d, 200, PgOutputBytes.begin(300, 0, 7), items());
        for (int i = 1; i <= 4; i++) {
            feed(d, 200 + i, PgOutputBytes.insert(ITEMS, Integer.toString(i), "x", "1"));
        }
        feed(d, 300, PgOutputBytes.commit(300, 320, 0));
        feed(d, 400, PgOutputBytes.begin(500, 0, 8));
        feed(d, 410, PgOutputBytes.insert(ITEMS, "5", "y", "2"));
        feed(d, 500, PgOutputBytes.commit(500, 520, 0));

        assertThat(out.events).extracting(e -> e.values[0]).containsExactly("3", "4", "5");
        assertThat(out.positions)
                .containsExactly(
                        StreamPosition.inside(300, 3),
                        StreamPosition.inside(300, 4),
                        StreamPosition.inside(500, 1));
    }

    @Test
    void aRestartWhoseTransactionDoesNotComeBackFailsInsteadOfLosingItsRest() {
        ChangeDecoder d = decoder(StreamPosition.inside(300, 2));
        assertThatThrownBy(() -> feed(d, 400, PgOutputBytes.begin(500, 0, 8)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("0/12C")
                .hasMessageContaining("0/1F4")
                .hasMessageContaining("--fresh");
    }

    @Test
    void changesOfTablesNotCapturedCountForThePositionButAreNotEmitted() {
        ChangeDecoder d = decoder(StreamPosition.at(100));
        feed(
                d,
                200,
                PgOutputBytes.begin(300, 0, 1),
                items(),
                PgOutputBytes.relation(
                        OTHER, "private", "t", 'd', new PgOutputBytes.Col(true, "id", INT4, -1)));
        feed(d, 210, PgOutputBytes.insert(OTHER, "9"));
        feed(d, 220, PgOutputBytes.insert(ITEMS, "1", "x", "1"));
        assertThat(out.events).hasSize(1);
        assertThat(out.positions).containsExactly(StreamPosition.inside(300, 2));
    }

    @Test
    void anUpdateWithItsOldRowEmitsTheOldRowFirstAtThePositionBeforeTheMessage() {
        ChangeDecoder d = decoder(StreamPosition.at(100));
        feed(d, 200, PgOutputBytes.begin(300, 0, 1), items());
        feed(
                d,
                220,
                PgOutputBytes.update(ITEMS, 'K', new String[] {"1", null, null}, "2", "x", "1"));
        assertThat(out.events).extracting(e -> e.op).containsExactly('b', 'u');
        assertThat(out.events.get(0).values).containsExactly("1", null, null);
        // a checkpoint between the two resumes before the message: it comes again whole
        assertThat(out.positions)
                .containsExactly(StreamPosition.at(100), StreamPosition.inside(300, 1));
    }

    @Test
    void underReplicaIdentityFullTheOldRowFillsValuesLeftOutAsUnchangedToast() {
        ChangeDecoder d = decoder(StreamPosition.at(100));
        feed(d, 200, PgOutputBytes.begin(300, 0, 1), items());
        feed(
                d,
                220,
                PgOutputBytes.update(
                        ITEMS, 'O', new String[] {"1", "big", "1.000"}, "1", UNCHANGED, "2.000"));
        ChangeEvent u = out.events.get(1);
        assertThat(u.values).containsExactly("1", "big", "2.000");
        assertThat(u.unchanged).isNull();
    }

    @Test
    void unchangedToastWithoutAWholeOldRowIsMarkedNotInvented() {
        ChangeDecoder d = decoder(StreamPosition.at(100));
        feed(d, 200, PgOutputBytes.begin(300, 0, 1), items());
        feed(d, 220, PgOutputBytes.update(ITEMS, (char) 0, null, "1", UNCHANGED, "2"));
        ChangeEvent u = out.events.get(0);
        assertThat(u.values[1]).isNull();
        assertThat(u.unchanged).containsExactly(false, true, false);
    }

    @Test
    void aRelationSentAgainUnchangedKeepsItsLayoutAndAChangedOneGetsTheNext() {
        ChangeDecoder d = decoder(StreamPosition.at(100));
        feed(d, 200, PgOutputBytes.begin(300, 0, 1), items());
        feed(d, 210, PgOutputBytes.insert(ITEMS, "1", "x", "1"));
        feed(d, 211, items());
        feed(d, 212, PgOutputBytes.insert(ITEMS, "2", "x", "1"));
        feed(
                d,
                213,
                PgOutputBytes.relation(
                        ITEMS,
                        "public",
                        "items",
                        'd',
                        new PgOutputBytes.Col(true, "id", INT4, -1),
                        new PgOutputBytes.Col(false, "note", TEXT, -1),
                        new PgOutputBytes.Col(false, "price", NUMERIC, (14 << 16 | 4) + 4)));
        feed(d, 214, PgOutputBytes.insert(ITEMS, "3", "x", "1"));
        assertThat(out.events).extracting(e -> e.layout).containsExactly(1, 1, 2);
    }

    @Test
    void namesWithDotsQuotesAndUnicodeStayExactAndReadBack() {
        ChangeDecoder d = decoder(StreamPosition.at(100));
        feed(
                d,
                200,
                PgOutputBytes.begin(300, 0, 1),
                PgOutputBytes.relation(
                        ODD,
                        "odd.schema",
                        "we\"ird %tab",
                        'd',
                        new PgOutputBytes.Col(true, "编号", INT4, -1)));
        feed(d, 210, PgOutputBytes.insert(ODD, "1"));
        ChangeEvent e = out.events.get(0);
        assertThat(e.table).isEqualTo("\"odd.schema\".\"we\"\"ird %tab\"");
        assertThat(dev.flinkelt.config.TableRef.parse(e.table))
                .isEqualTo(new dev.flinkelt.config.TableRef("odd.schema", "we\"ird %tab"));
        assertThat(e.columns).containsExactly("编号");
    }

    @Test
    void aTruncateEmitsOneEventPerCapturedTableAndMessagesOnlyWithThePipelinesPrefix() {
        ChangeDecoder d = decoder(StreamPosition.at(100));
        feed(
                d,
                200,
                PgOutputBytes.begin(300, 0, 1),
                items(),
                PgOutputBytes.relation(
                        OTHER, "private", "t", 'd', new PgOutputBytes.Col(true, "id", INT4, -1)));
        feed(d, 210, PgOutputBytes.truncate(ITEMS, OTHER));
        feed(d, 220, PgOutputBytes.message(true, 220, "other-tool", "{}"));
        feed(d, 230, PgOutputBytes.message(true, 230, "flink-elt", "{\"kind\":\"low\"}"));
        feed(d, 240, PgOutputBytes.message(false, 240, "flink-elt", "{\"kind\":\"x\"}"));
        assertThat(out.events).extracting(e -> e.op).containsExactly('t', 'm');
        assertThat(out.events.get(0).table).isEqualTo("public.items");
        assertThat(out.events.get(1).values).containsExactly("{\"kind\":\"low\"}");
        assertThat(out.events.get(1).lsn).isEqualTo(230);
        assertThat(out.positions)
                .containsExactly(StreamPosition.inside(300, 1), StreamPosition.inside(300, 3));
    }

    @Test
    void betweenTransactionsAKeepalivePositionMovesTheStreamOnButNotInsideOne() {
        ChangeDecoder d = decoder(StreamPosition.at(100));
        d.reached(150);
        assertThat(out.last).isEqualTo(StreamPosition.at(150));
        feed(d, 200, PgOutputBytes.begin(300, 0, 1), items());
        feed(d, 210, PgOutputBytes.insert(ITEMS, "1", "x", "1"));
        d.reached(400);
        assertThat(d.position()).isEqualTo(StreamPosition.inside(300, 1));
    }

    @Test
    void positionsRoundTripThroughTheSplitsOffsetMap() {
        for (StreamPosition p : List.of(StreamPosition.at(123), StreamPosition.inside(456, 7))) {
            assertThat(StreamPosition.fromOffset(p.toOffset())).isEqualTo(p);
        }
        // a stream without a checkpoint starts at the slot's confirmed position, skipping nothing
        assertThat(StreamPosition.fromOffset(java.util.Map.of("lsn", "99")))
                .isEqualTo(StreamPosition.at(99));
    }

    /** An offset of an earlier version: Debezium's keys. */
    static StreamPosition debezium(long lsn, long proc, long commit, long xid) {
        return StreamPosition.fromOffset(
                java.util.Map.of(
                        "lsn", Long.toString(lsn),
                        "lsn_proc", Long.toString(proc),
                        "lsn_commit", Long.toString(commit),
                        "txId", Long.toString(xid),
                        "ts_usec", "0"));
    }

    @Test
    void aDebeziumOffsetInsideATransactionResumesAfterItsLastChange() {
        StreamPosition start = debezium(230, 230, 150, 42);
        assertThat(start.resumeLsn()).isEqualTo(150);
        // a checkpoint before the stream got there keeps the offset as it was
        assertThat(StreamPosition.fromOffset(start.toOffset())).isEqualTo(start);
        ChangeDecoder d = decoder(start);
        feed(d, 200, PgOutputBytes.begin(300, 0, 42), items());
        feed(d, 210, PgOutputBytes.insert(ITEMS, "1", "x", "1"));
        feed(d, 220, PgOutputBytes.insert(ITEMS, "2", "x", "1"));
        feed(d, 230, PgOutputBytes.insert(ITEMS, "3", "x", "1"));
        // a second row of the same multi-row insert: the offset cannot tell, so it is not lost
        feed(d, 230, PgOutputBytes.insert(ITEMS, "4", "x", "1"));
        feed(d, 240, PgOutputBytes.insert(ITEMS, "5", "x", "1"));
        feed(d, 300, PgOutputBytes.commit(300, 320, 0));
        assertThat(out.events).extracting(e -> e.values[0]).containsExactly("4", "5");
        // from there on positions are this decoder's own
        assertThat(out.positions)
                .containsExactly(StreamPosition.inside(300, 4), StreamPosition.inside(300, 5));
        assertThat(out.last).isEqualTo(StreamPosition.at(320));
    }

    @Test
    void aDebeziumOffsetAtItsMessageSkipsTheMessageButNotTheChangeAfterIt() {
        // a transactional message ends at 230; Debezium moved lsn, not lsn_proc, for it
        ChangeDecoder d = decoder(debezium(230, 220, 150, 42));
        feed(d, 200, PgOutputBytes.begin(300, 0, 42), items());
        feed(d, 220, PgOutputBytes.insert(ITEMS, "1", "x", "1"));
        feed(d, 230, PgOutputBytes.message(true, 230, "flink-elt", "{}"));
        feed(d, 230, PgOutputBytes.insert(ITEMS, "2", "x", "1"));
        feed(d, 300, PgOutputBytes.commit(300, 320, 0));
        assertThat(out.events).extracting(e -> e.values[0]).containsExactly("2");
    }

    @Test
    void aDebeziumOffsetBetweenTransactionsEmitsEverythingAfterIt() {
        ChangeDecoder d = decoder(debezium(150, 150, 150, 41));
        feed(d, 200, PgOutputBytes.begin(300, 0, 42), items());
        feed(d, 210, PgOutputBytes.insert(ITEMS, "1", "x", "1"));
        feed(d, 300, PgOutputBytes.commit(300, 320, 0));
        assertThat(out.events).extracting(e -> e.values[0]).containsExactly("1");
    }

    @Test
    void aDebeziumOffsetWhoseTransactionDoesNotComeBackFails() {
        ChangeDecoder d = decoder(debezium(230, 230, 150, 42));
        assertThatThrownBy(() -> feed(d, 200, PgOutputBytes.begin(400, 0, 43)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("--fresh");
    }
}
