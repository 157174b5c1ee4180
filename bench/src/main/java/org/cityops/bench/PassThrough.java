package org.cityops.bench;

import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The floor of the stack: the same records, Kafka → Flink → Kafka, exactly-once, same parallelism
 * and checkpoint interval, no work in between. Bounded (from the first to the last offset present),
 * so its net runtime gives its rate.
 */
final class PassThrough {

    private PassThrough() {}

    /** Copies every record of {@code topics} to {@code into}; returns the job's net runtime, ms. */
    static long run(String bootstrap, List<String> topics, String into, int parallelism)
            throws Exception {
        Configuration conf = new Configuration();
        conf.setString("execution.checkpointing.interval", "2000 ms");
        conf.setString("execution.checkpointing.mode", "EXACTLY_ONCE");
        conf.setString("execution.buffer-timeout.interval", "5 ms");
        conf.setString("restart-strategy.type", "none");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        KafkaSource<byte[]> source =
                KafkaSource.<byte[]>builder()
                        .setBootstrapServers(bootstrap)
                        .setTopics(topics)
                        .setGroupId("cityops-bench-passthrough-" + System.nanoTime())
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setBounded(OffsetsInitializer.latest())
                        .setDeserializer(
                                KafkaRecordDeserializationSchema.valueOnly(
                                        ByteArrayDeserializer.class))
                        .build();
        Properties producer = new Properties();
        producer.setProperty("transaction.timeout.ms", String.valueOf(10 * 60 * 1000));
        producer.setProperty("linger.ms", "5");
        KafkaSink<byte[]> sink =
                KafkaSink.<byte[]>builder()
                        .setBootstrapServers(bootstrap)
                        .setRecordSerializer(
                                KafkaRecordSerializationSchema.<byte[]>builder()
                                        .setTopic(into)
                                        .setValueSerializationSchema(new Bytes())
                                        .build())
                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setTransactionalIdPrefix("cityops-bench-passthrough-" + System.nanoTime())
                        .setKafkaProducerConfig(producer)
                        .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "feeds")
                .returns(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .uid("source")
                .sinkTo(sink)
                .uid("sink")
                .name("pass-through");
        return env.execute("cityops-bench-passthrough").getNetRuntime();
    }

    /** The record's bytes as they are (a class, so Flink can see the type). */
    static final class Bytes implements SerializationSchema<byte[]> {
        @Override
        public byte[] serialize(byte[] element) {
            return element;
        }
    }
}
