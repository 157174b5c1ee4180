package org.cityops.livestate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.cityops.schemas.city.Alert;
import org.cityops.schemas.city.Escalation;
import org.cityops.schemas.city.Incident;
import org.cityops.schemas.city.PublicWarning;
import org.cityops.schemas.serde.AvroSerde;
import org.cityops.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the live view whole when its store is lost (Redis flushed, or restarted without its data):
 * the view carries an epoch marker; when a check finds none — a new or emptied store — the one
 * checker that claims the new epoch rebuilds the view from Kafka, which holds everything: every
 * incident's latest version ({@code city.incidents}, compacted), public warnings, alerts and
 * escalations. Every write is version-checked, so the job's writes racing the rebuild always win
 * when newer. Screens resync from the deltas the rebuild appends. Blocking; call {@link #check}
 * from one worker. What Kafka does not hold (feed health counters, KPI rows) comes back as the job
 * next changes them.
 */
public final class LiveViewKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(LiveViewKeeper.class);
    private static final long EPOCH_SECONDS = Duration.ofDays(3650).toSeconds();
    private static final int BATCH = 500;

    private final LiveView live;
    private final String kafka;
    private final Topics topics;
    private final Duration settle;
    private long rebuilds;

    /**
     * {@code settle}: how long to keep following {@code city.incidents} after reaching its end —
     * versions the job had already written to the lost store but not yet committed to Kafka (they
     * commit with the next checkpoint) arrive then; a few checkpoint intervals.
     */
    public LiveViewKeeper(LiveView live, String kafka, Topics topics, Duration settle) {
        this.live = live;
        this.kafka = kafka;
        this.topics = topics;
        this.settle = settle;
    }

    /** Rebuilds the view if its epoch is gone; returns how many writes that took (0 if whole). */
    public int check() {
        String epoch = UUID.randomUUID().toString();
        if (live.claim("live-view-epoch", epoch, EPOCH_SECONDS).isPresent()) {
            return 0; // the view is the one we know
        }
        long started = System.nanoTime();
        int applied = rebuild();
        rebuilds++;
        LOG.warn(
                "Live view had no epoch (new, flushed or restarted empty): rebuilt from Kafka with {} writes in {} ms (epoch {})",
                applied,
                (System.nanoTime() - started) / 1_000_000,
                epoch);
        return applied;
    }

    /** How many rebuilds this keeper did. */
    public long rebuilds() {
        return rebuilds;
    }

    private int rebuild() {
        Map<String, Incident> incidents = new HashMap<>();
        read(
                topics.incidents().name(),
                Incident.class,
                incident -> {
                    Incident known = incidents.get(incident.getIncidentId());
                    if (known == null || known.getVersion() < incident.getVersion()) {
                        incidents.put(incident.getIncidentId(), incident);
                    }
                },
                Duration.ZERO,
                false);
        Map<String, PublicWarning> warnings = new HashMap<>();
        read(
                topics.warnings().name(),
                PublicWarning.class,
                warning -> {
                    PublicWarning known = warnings.get(warning.getWarningId());
                    if (known == null || known.getSent().isBefore(warning.getSent())) {
                        warnings.put(warning.getWarningId(), warning);
                    }
                },
                Duration.ZERO,
                false);
        List<LiveWrite> writes = new ArrayList<>();
        incidents.values().forEach(i -> writes.add(Documents.incidentWrite(i)));
        warnings.values().forEach(w -> writes.add(Documents.warningWrite(w)));
        read(
                topics.alerts().name(),
                Alert.class,
                a -> writes.add(Documents.alertWrite(a)),
                Duration.ZERO,
                false);
        read(
                topics.escalations().name(),
                Escalation.class,
                e -> writes.add(Documents.escalationWrite(e)),
                Duration.ZERO,
                false);
        for (int i = 0; i < writes.size(); i += BATCH) {
            live.apply(writes.subList(i, Math.min(writes.size(), i + BATCH)));
        }
        // then follow the changelog a little longer: what was in flight when the store was lost
        int[] late = {0};
        read(
                topics.incidents().name(),
                Incident.class,
                incident -> {
                    live.apply(List.of(Documents.incidentWrite(incident)));
                    late[0]++;
                },
                settle,
                true);
        return writes.size() + late[0];
    }

    /**
     * Everything committed on {@code topic} now (or, {@code fromEnd}, nothing of it), decoded, in
     * order per partition; then what comes for {@code follow} more.
     */
    private <T extends SpecificRecord> void read(
            String topic, Class<T> type, Consumer<T> each, Duration follow, boolean fromEnd) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "cityops-live-view-keeper");
        AvroSerde<T> serde = new AvroSerde<>(type);
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            if (fromEnd) {
                end.forEach(consumer::seek);
            } else {
                consumer.seekToBeginning(partitions);
            }
            long followUntil = System.nanoTime() + follow.toNanos();
            while (System.nanoTime() < followUntil
                    || end.entrySet().stream()
                            .anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                for (ConsumerRecord<String, byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null) {
                        each.accept(serde.deserializer().deserialize(topic, record.value()));
                    }
                }
            }
        }
    }
}
