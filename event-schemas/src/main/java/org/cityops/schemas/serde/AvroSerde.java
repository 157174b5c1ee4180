package org.cityops.schemas.serde;

import java.io.IOException;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serde for an Avro record class, in single-object encoding (see {@link AvroCodec}). */
public final class AvroSerde<T extends SpecificRecord>
        implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final AvroCodec<T> codec;

    public AvroSerde(Class<T> type) {
        this.codec = AvroCodec.of(type);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return data == null ? null : codec.encode(data);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return codec.decode(data);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "cannot decode " + codec.type().getSimpleName() + " from " + topic, e);
        }
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {}

    @Override
    public void close() {}

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }
}
