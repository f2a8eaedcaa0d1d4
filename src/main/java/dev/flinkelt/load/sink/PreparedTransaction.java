package dev.flinkelt.load.sink;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The committable: the gid of one prepared transaction, committed once its checkpoint completes,
 * and what it holds ({@link LoadedRows}), counted when it becomes visible.
 */
public record PreparedTransaction(String gid, LoadedRows loaded) {

    /** Version 1: the gid's UTF-8 bytes. Version 2: the gid, then what it holds. */
    static final SimpleVersionedSerializer<PreparedTransaction> SERIALIZER =
            new SimpleVersionedSerializer<>() {
                @Override
                public int getVersion() {
                    return 2;
                }

                @Override
                public byte[] serialize(PreparedTransaction t) throws IOException {
                    DataOutputSerializer out = new DataOutputSerializer(256);
                    out.writeUTF(t.gid());
                    t.loaded().write(out);
                    return out.getCopyOfBuffer();
                }

                @Override
                public PreparedTransaction deserialize(int version, byte[] bytes)
                        throws IOException {
                    if (version == 1) { // of a build that did not count: nothing to count
                        return new PreparedTransaction(
                                new String(bytes, StandardCharsets.UTF_8), new LoadedRows());
                    }
                    if (version != 2) {
                        throw new IOException(
                                "unknown version " + version + " of a flink-elt sink committable");
                    }
                    DataInputDeserializer in = new DataInputDeserializer(bytes);
                    return new PreparedTransaction(in.readUTF(), LoadedRows.read(in));
                }
            };
}
