package org.cityops.screen;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.cityops.livestate.Documents;
import org.cityops.schemas.city.Incident;
import org.cityops.schemas.serde.AvroSerde;

/**
 * What the city looked like at any past moment, from the Kafka history ({@code city.incidents},
 * read committed): every version of every incident, indexed by the city time it was written ({@code
 * updatedAt}); the state at T is each incident's last version at or before T. Read from the
 * beginning on first use, then caught up on each query. Not thread-safe: used from one worker.
 *
 * <p>Holds every version's document (about 2 KB each): fine for days of a city's incidents; a
 * longer review belongs in a store indexed by time (noted in docs/screen-protocol.md).
 */
final class IncidentHistory implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final AvroSerde<Incident> serde = new AvroSerde<>(Incident.class);

    /** Per incident: city time of each version → its live-view document. */
    private final Map<String, TreeMap<Long, String>> versions = new HashMap<>();

    private boolean assigned;

    IncidentHistory(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "cityops-screen-history");
        this.consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
    }

    /** The incidents as they stood at {@code at}, newest report first (at most {@code limit}). */
    List<String> at(Instant at, int limit) {
        catchUp();
        long t = at.toEpochMilli();
        List<Map.Entry<Long, String>> found = new ArrayList<>();
        for (TreeMap<Long, String> incident : versions.values()) {
            Map.Entry<Long, String> then = incident.floorEntry(t);
            if (then != null) {
                found.add(then);
            }
        }
        found.sort(Comparator.comparing((Map.Entry<Long, String> e) -> -e.getKey()));
        return found.stream().limit(limit).map(Map.Entry::getValue).toList();
    }

    /** The span of city time the history covers, or null when it is empty. */
    Instant[] span() {
        catchUp();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (TreeMap<Long, String> incident : versions.values()) {
            first = Math.min(first, incident.firstKey());
            last = Math.max(last, incident.lastKey());
        }
        return versions.isEmpty()
                ? null
                : new Instant[] {Instant.ofEpochMilli(first), Instant.ofEpochMilli(last)};
    }

    private void catchUp() {
        if (!assigned) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            assigned = true;
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        while (end.entrySet().stream()
                .anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.value() == null) {
                    continue; // a tombstone: nothing to show
                }
                Incident incident = serde.deserializer().deserialize(topic, record.value());
                versions.computeIfAbsent(incident.getIncidentId(), id -> new TreeMap<>())
                        .put(
                                incident.getUpdatedAt().toEpochMilli(),
                                Documents.incidentWrite(incident).document());
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
