package org.cityops.jobs.sinks;

import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.cityops.schemas.serde.AvroCodec;

/**
 * Writes an Avro record to a topic in single-object encoding, keyed by one of its fields (the
 * incident id for the compacted changelog, the event id for events, the feed for dead letters).
 */
public final class AvroKafkaSerializer<T extends SpecificRecordBase>
        implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final Class<T> type;
    private final String keyField;
    private transient AvroCodec<T> codec;

    public AvroKafkaSerializer(String topic, Class<T> type, String keyField) {
        this.topic = topic;
        this.type = type;
        this.keyField = keyField;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long timestamp) {
        if (codec == null) {
            codec = AvroCodec.of(type);
        }
        Object key = element.get(keyField);
        // no timestamp: Kafka's is when CityOps wrote the record (retention counts from it); the
        // event time is in the record. With the event time here, replayed days were deleted by
        // retention minutes after they were written (Topics#configOf).
        return new ProducerRecord<>(
                topic,
                null,
                null,
                String.valueOf(key).getBytes(StandardCharsets.UTF_8),
                codec.encode(element));
    }
}
