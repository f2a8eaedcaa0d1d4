package dev.flinkelt.transform.read;

import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

/**
 * The enumerator's state: the raw tables already handed to a reader (their progress is in the
 * readers' state).
 */
final class AssignedTables implements SimpleVersionedSerializer<Set<String>> {
    static final AssignedTables SERIALIZER = new AssignedTables();

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(Set<String> tables) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(tables.size());
            for (String t : tables) {
                out.writeUTF(t);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public Set<String> deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1) {
            throw new IOException("unknown raw enumerator state version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            Set<String> tables = new TreeSet<>();
            for (int n = in.readInt(); n > 0; n--) {
                tables.add(in.readUTF());
            }
            return tables;
        }
    }
}
