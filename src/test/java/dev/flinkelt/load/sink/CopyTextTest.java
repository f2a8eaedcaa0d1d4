package dev.flinkelt.load.sink;

import dev.flinkelt.extract.ChangeEvent;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CopyTextTest {
    static ChangeEvent event(char op, long txId, long tsMicros, String... values) {
        ChangeEvent e = new ChangeEvent();
        e.table = "public.t";
        e.op = op;
        e.lsn = 42;
        e.seq = 7;
        e.txId = txId;
        e.sourceTsMicros = tsMicros;
        e.values = values;
        return e;
    }

    static String text(List<ChangeEvent> rows, int from, int to, int columns) {
        CopyText t = new CopyText();
        t.append(rows, from, to, columns);
        return new String(t.bytes(), 0, t.length(), StandardCharsets.UTF_8);
    }

    @Test
    void copyEscapesAreAddedAndNullsAndMissingColumnsAreBackslashN() {
        ChangeEvent e =
                event(
                        'u',
                        9,
                        1_000_001L,
                        "tab\there",
                        "line\nbreak\r",
                        "back\\slash \\N",
                        null,
                        "ünï €");
        assertThat(text(List.of(e), 0, 1, 6))
                .isEqualTo(
                        "tab\\there\tline\\nbreak\\r\tback\\\\slash \\\\N\t\\N\tünï €\t\\N\tu\t42\t7\t9\t1970-01-01 00:00:01.000001+00\n");
    }

    @Test
    void snapshotRowsHaveNoTransactionOrCommitTimeAndOnlyTheChosenRowsAreWritten() {
        List<ChangeEvent> rows =
                List.of(
                        event('r', ChangeEvent.NONE, ChangeEvent.NONE, "1"),
                        event('r', ChangeEvent.NONE, ChangeEvent.NONE, "2"),
                        event('r', ChangeEvent.NONE, ChangeEvent.NONE, "3"));
        assertThat(text(rows, 1, 3, 1)).isEqualTo("2\tr\t42\t7\t\\N\t\\N\n3\tr\t42\t7\t\\N\t\\N\n");
    }

    @Test
    void aRowsCopyTextFromTheSourceIsWrittenAsReadPaddedToTheRawTablesColumns() {
        String read = "tab\\there\tline\\nbreak\\r\tback\\\\slash \\\\N\t\\N\tünï €\n";
        ChangeEvent asText = event('r', ChangeEvent.NONE, ChangeEvent.NONE);
        asText.keepCopyText(read.getBytes(StandardCharsets.UTF_8), 5);
        ChangeEvent asValues =
                event(
                        'r',
                        ChangeEvent.NONE,
                        ChangeEvent.NONE,
                        "tab\there",
                        "line\nbreak\r",
                        "back\\slash \\N",
                        null,
                        "ünï €");
        // the same bytes as the values escaped here, the raw table's sixth column NULL
        assertThat(text(List.of(asText), 0, 1, 6))
                .isEqualTo(text(List.of(asValues), 0, 1, 6))
                .startsWith(
                        "tab\\there\tline\\nbreak\\r\tback\\\\slash \\\\N\t\\N\tünï €\t\\N\tr\t");
        asText.decodeCopyText();
        assertThat(asText.values).containsExactly(asValues.values);
    }

    @Test
    void theBufferGrowsForLargeValuesAndIsReused() {
        String big = "x".repeat(300_000);
        CopyText t = new CopyText();
        t.append(List.of(event('c', 1, 0, big)), 0, 1, 1);
        assertThat(t.length()).isGreaterThan(300_000);
        t.reset();
        t.append(List.of(event('c', 1, 0, "y")), 0, 1, 1);
        assertThat(new String(t.bytes(), 0, t.length(), StandardCharsets.UTF_8))
                .startsWith("y\tc\t");
    }
}
