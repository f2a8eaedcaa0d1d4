package dev.flinkelt.extract;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * The type of the change stream between operators: {@link ChangeEvent} with its own {@link
 * ChangeEventSerializer}.
 */
public final class ChangeEventType extends TypeInformation<ChangeEvent> {
    private static final long serialVersionUID = 1L;
    public static final ChangeEventType INSTANCE = new ChangeEventType();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<ChangeEvent> getTypeClass() {
        return ChangeEvent.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<ChangeEvent> createSerializer(SerializerConfig config) {
        return ChangeEventSerializer.INSTANCE;
    }

    @Override
    @Deprecated
    public TypeSerializer<ChangeEvent> createSerializer(ExecutionConfig config) {
        return ChangeEventSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "ChangeEvent";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChangeEventType;
    }

    @Override
    public int hashCode() {
        return ChangeEventType.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof ChangeEventType;
    }
}
