package org.cityops.livestate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.cityops.schemas.serde.AvroSerde;

/**
 * One CityOps topic as committed (read_committed), decoded, from its beginning or from now; kept
 * open to read on as more commits. No consumer group: the reader keeps its own position. Not
 * thread-safe: one user at a time (the live-view keeper, the screen's history).
 */
public final class CommittedLog<T extends SpecificRecord> implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Deserializer<T> values;

    private CommittedLog(String kafka, String topic, Class<T> type, boolean fromEnd) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "cityops-committed-log-" + topic);
        this.consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.values = new AvroSerde<>(type).deserializer();
        List<TopicPartition> partitions =
                consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
        consumer.assign(partitions);
        if (fromEnd) {
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // fix "now" here, not at the first read
        } else {
            consumer.seekToBeginning(partitions);
        }
    }

    public static <T extends SpecificRecord> CommittedLog<T> fromBeginning(
            String kafka, String topic, Class<T> type) {
        return new CommittedLog<>(kafka, topic, type, false);
    }

    public static <T extends SpecificRecord> CommittedLog<T> fromNow(
            String kafka, String topic, Class<T> type) {
        return new CommittedLog<>(kafka, topic, type, true);
    }

    /** Everything committed up to now, in order per partition. */
    public void readToEnd(Consumer<T> each) {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        while (end.entrySet().stream()
                .anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            readAvailable(Duration.ofMillis(200), each);
        }
    }

    /** What was committed since the last read, waiting at most {@code wait} for some. */
    public int readAvailable(Duration wait, Consumer<T> each) {
        int n = 0;
        for (ConsumerRecord<String, byte[]> record : consumer.poll(wait)) {
            if (record.value() != null) { // a tombstone: nothing to read
                each.accept(values.deserialize(topic, record.value()));
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
