package dev.flinkelt.load;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshotSerializationUtil;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Savepoints of earlier builds restore into this one: the keyed stage's state serializers accept
 * the serializer snapshots an earlier build wrote (src/test/resources/state/<commit>/, written by
 * that build's RowStateFunction descriptors), as Flink checks them on restore. A moved or renamed
 * state class fails here, not at a user's upgrade.
 */
class KeyedStateCompatibilityTest {

    @ParameterizedTest(name = "state of build {0}")
    @ValueSource(strings = {"1231260"})
    void rowVersionsAndHeldEventsOfAnEarlierBuildRestoreAsTheyAre(String build) throws Exception {
        assertCompatible(build + "/row.snapshot", RowStateFunction.rowDescriptor());
        assertCompatible(build + "/held.snapshot", RowStateFunction.heldDescriptor());
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void assertCompatible(String resource, StateDescriptor descriptor)
            throws Exception {
        TypeSerializerSnapshot old;
        try (InputStream in =
                KeyedStateCompatibilityTest.class.getResourceAsStream("/state/" + resource)) {
            assertThat(in).as(resource).isNotNull();
            old =
                    TypeSerializerSnapshotSerializationUtil.readSerializerSnapshot(
                            new DataInputViewStreamWrapper(in),
                            KeyedStateCompatibilityTest.class.getClassLoader());
        }
        descriptor.initializeSerializerUnlessSet(new ExecutionConfig());
        TypeSerializerSchemaCompatibility<?> c =
                descriptor.getSerializer().snapshotConfiguration().resolveSchemaCompatibility(old);
        assertThat(c.isCompatibleAsIs()).as("%s: %s", resource, c).isTrue();
    }
}
