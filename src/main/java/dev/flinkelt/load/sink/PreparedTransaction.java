package dev.flinkelt.load.sink;

import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The committable: the gid of one prepared transaction, committed once its checkpoint completes.
 */
public record PreparedTransaction(String gid) {

    /** Version 1: the gid's UTF-8 bytes. */
    static final SimpleVersionedSerializer<PreparedTransaction> SERIALIZER =
            new SimpleVersionedSerializer<>() {
                @Override
                public int getVersion() {
                    return 1;
                }

                @Override
                public byte[] serialize(PreparedTransaction t) {
                    return t.gid().getBytes(StandardCharsets.UTF_8);
                }

                @Override
                public PreparedTransaction deserialize(int version, byte[] bytes)
                        throws IOException {
                    if (version != 1) {
                        throw new IOException(
                                "unknown version " + version + " of a flink-elt sink committable");
                    }
                    return new PreparedTransaction(new String(bytes, StandardCharsets.UTF_8));
                }
            };
}
