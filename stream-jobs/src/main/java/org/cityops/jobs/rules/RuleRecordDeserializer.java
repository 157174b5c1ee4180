package org.cityops.jobs.rules;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads the rules topic: key = rule id, value = JSON or a tombstone. Never throws. */
public final class RuleRecordDeserializer implements KafkaRecordDeserializationSchema<RuleRecord> {

    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RuleRecord> out) {
        String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
        String value =
                record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
        out.collect(new RuleRecord(key, value, record.offset()));
    }

    @Override
    public TypeInformation<RuleRecord> getProducedType() {
        return TypeInformation.of(RuleRecord.class);
    }
}
