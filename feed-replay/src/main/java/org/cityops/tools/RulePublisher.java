package org.cityops.tools;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.cityops.schemas.rules.Rule;
import org.cityops.schemas.topics.Topics;

/** Publishes, retires and lists the rules on the compacted rules topic. */
public final class RulePublisher implements AutoCloseable {

    private final String bootstrap;
    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;

    public RulePublisher(String bootstrap, Topics topics) {
        this.bootstrap = bootstrap;
        this.topic = topics.rules().name();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        this.producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Publishes valid rules (validate them first with RuleParser). The job decides on versions. */
    public void publish(List<Rule> rules) {
        for (Rule rule : rules) {
            send(rule.id(), rule.json().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A tombstone: the job drops the rule. */
    public void retire(String ruleId) {
        send(ruleId, null);
    }

    private void send(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value))
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot publish to " + topic + ": " + e.getCause().getMessage(), e);
        }
    }

    /** The latest document of every rule on the topic (retired ones left out). */
    public Map<String, String> list() {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("group.id", "cityops-rules-list-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        props.put("enable.auto.commit", "false");
        Map<String, String> latest = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            int empty = 0;
            while (empty < 3) {
                var records = consumer.poll(Duration.ofMillis(500));
                empty = records.isEmpty() ? empty + 1 : 0;
                List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
                records.forEach(batch::add);
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    String key = new String(r.key(), StandardCharsets.UTF_8);
                    if (r.value() == null) {
                        latest.remove(key);
                    } else {
                        latest.put(key, new String(r.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return latest;
    }

    @Override
    public void close() {
        producer.close();
    }
}
