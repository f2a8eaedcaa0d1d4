package dev.flinkelt.transform.read;

import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Version 1: table name, {@code from}, whether bounded, {@code end}. */
final class RawSplitSerializer implements SimpleVersionedSerializer<RawSplit> {
    static final RawSplitSerializer INSTANCE = new RawSplitSerializer();

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(RawSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(split.table);
            out.writeLong(split.from);
            out.writeBoolean(split.end != null);
            out.writeLong(split.end == null ? 0L : split.end);
        }
        return bytes.toByteArray();
    }

    @Override
    public RawSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1) {
            throw new IOException("unknown raw split version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            String table = in.readUTF();
            long from = in.readLong();
            boolean bounded = in.readBoolean();
            long end = in.readLong();
            return new RawSplit(table, from, bounded ? end : null);
        }
    }
}
