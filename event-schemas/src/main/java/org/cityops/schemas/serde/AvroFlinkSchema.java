package org.cityops.schemas.serde;

import java.io.IOException;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * Flink (de)serialization schema for an Avro record class in single-object encoding, producing Avro
 * type information so Flink never falls back to Kryo.
 */
public final class AvroFlinkSchema<T extends SpecificRecordBase>
        implements DeserializationSchema<T>, SerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private transient AvroCodec<T> codec;

    public AvroFlinkSchema(Class<T> type) {
        this.type = type;
    }

    private AvroCodec<T> codec() {
        if (codec == null) {
            codec = AvroCodec.of(type);
        }
        return codec;
    }

    @Override
    public T deserialize(byte[] message) throws IOException {
        return codec().decode(message);
    }

    @Override
    public boolean isEndOfStream(T nextElement) {
        return false;
    }

    @Override
    public byte[] serialize(T element) {
        return codec().encode(element);
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return new AvroTypeInfo<>(type);
    }
}
