package dev.flinkelt.extract;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** The stream's own serializer: every field survives, and the formats of both versions read. */
class ChangeEventSerializerTest {
    private final ChangeEventSerializer serializer = ChangeEventSerializer.INSTANCE;

    @Test
    void everyFieldSurvivesARoundTrip() throws IOException {
        ChangeEvent e = event();
        e.unchanged = new boolean[] {false, true};
        e.columns = new String[] {"id", "body"};
        e.types = new String[] {"int4", "text"};
        e.layout = 3;

        ChangeEvent back = roundTrip(e);

        assertThat(back).usingRecursiveComparison().isEqualTo(e);
    }

    @Test
    void aRowKeptAsCopyTextTravelsAsItsBytes() throws IOException {
        ChangeEvent e = event();
        e.keepCopyText("1\tb\\tody\t\\N\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), 3);
        e.toastFree = true;

        ChangeEvent back = roundTrip(e);

        assertThat(back.values).isNull();
        assertThat(back.copyText).isEqualTo(e.copyText);
        assertThat(back.toastFree).isTrue();
        assertThat(serializer.copy(e).copyText).isEqualTo(e.copyText);
        assertThat(back.width()).isEqualTo(3);
        back.decodeCopyText();
        assertThat(back.values).containsExactly("1", "b\tody", null);
        assertThat(roundTrip(back).values).containsExactly("1", "b\tody", null);
    }

    @Test
    void aToastFreeSnapshotRowStaysToastFreeAndACopyToo() throws IOException {
        ChangeEvent e = event();
        e.toastFree = true;

        assertThat(roundTrip(e).toastFree).isTrue();
        assertThat(roundTrip(e).unchanged).isNull();
        assertThat(serializer.copy(e).toastFree).isTrue();
        e.toastFree = false;
        assertThat(roundTrip(e).toastFree).isFalse();
    }

    @Test
    void anEventOfTheEarlierFormatReadsAsNotToastFree() throws IOException {
        // the earlier version wrote -1 for "no unchanged columns" and had no toast-free mark
        ChangeEvent e = event();
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(e, out);
        byte[] bytes = out.getCopyOfBuffer();
        assertThat(intAt(bytes, bytes.length - 4)).isEqualTo(-1);

        ChangeEvent back = serializer.deserialize(new DataInputDeserializer(bytes));

        assertThat(back.toastFree).isFalse();
        assertThat(back.unchanged).isNull();
    }

    private ChangeEvent roundTrip(ChangeEvent e) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(e, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    private static int intAt(byte[] b, int i) {
        return (b[i] & 0xff) << 24
                | (b[i + 1] & 0xff) << 16
                | (b[i + 2] & 0xff) << 8
                | b[i + 3] & 0xff;
    }

    private static ChangeEvent event() {
        ChangeEvent e = new ChangeEvent();
        e.table = "public.t";
        e.key = "public.t|1";
        e.op = ChangeEvent.READ;
        e.lsn = 900;
        e.seq = 300;
        e.txId = 5;
        e.sourceTsMicros = ChangeEvent.NONE;
        e.values = new String[] {"1", null};
        return e;
    }
}
