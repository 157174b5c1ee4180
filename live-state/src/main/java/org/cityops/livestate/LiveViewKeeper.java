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
     * {@code settle}: at most how long to follow {@code city.incidents} after reaching its
     * committed end, until everything written to it when the rebuild began (committed or not: the
     * versions in flight when the store was lost, which commit with the next checkpoint) is
     * decided.
     */
    public LiveViewKeeper(LiveView live, String kafka, Topics topics, Duration settle) {
        this.live = live;
        this.kafka = kafka;
        this.topics = topics;
        this.settle = settle;
    }

    /**
     * Rebuilds the view if its epoch is gone, and applies what {@code city.incidents} committed
     * since the last check (a no-op for versions the view already holds: writes are
     * version-checked), so versions that commit late — after a rebuild, or after the job wrote them
     * to a store that was then lost — still arrive. Returns how many writes that took.
     */
    public int check() {
        int followed = follow();
        String epoch = UUID.randomUUID().toString();
        if (live.claim("live-view-epoch", epoch, EPOCH_SECONDS).isPresent()) {
            return followed; // the view is the one we know
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

    private KafkaConsumer<String, byte[]> tail;
    private final AvroSerde<Incident> incidentSerde = new AvroSerde<>(Incident.class);

    /** Applies the incident versions committed since the last call (from the end at the first). */
    private int follow() {
        String topic = topics.incidents().name();
        if (tail == null) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, "cityops-live-view-keeper-tail");
            tail =
                    new KafkaConsumer<>(
                            props, new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions =
                    tail.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            tail.assign(partitions);
            tail.seekToEnd(partitions);
        }
        List<LiveWrite> writes = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : tail.poll(Duration.ofMillis(100))) {
            if (record.value() != null) {
                writes.add(
                        Documents.incidentWrite(
                                incidentSerde.deserializer().deserialize(topic, record.value())));
            }
        }
        for (int i = 0; i < writes.size(); i += BATCH) {
            live.apply(writes.subList(i, Math.min(writes.size(), i + BATCH)));
        }
        return writes.size();
    }

    /** Stops following the changelog. */
    public void close() {
        if (tail != null) {
            tail.close();
        }
    }

    /** How many rebuilds this keeper did. */
    public long rebuilds() {
        return rebuilds;
    }

    private int rebuild() {
        Map<TopicPartition, Long> written = writtenEnd(topics.incidents().name());
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
                null);
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
                null);
        List<LiveWrite> writes = new ArrayList<>();
        incidents.values().forEach(i -> writes.add(Documents.incidentWrite(i)));
        warnings.values().forEach(w -> writes.add(Documents.warningWrite(w)));
        read(
                topics.alerts().name(),
                Alert.class,
                a -> writes.add(Documents.alertWrite(a)),
                Duration.ZERO,
                null);
        read(
                topics.escalations().name(),
                Escalation.class,
                e -> writes.add(Documents.escalationWrite(e)),
                Duration.ZERO,
                null);
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
                written);
        return writes.size() + late[0];
    }

    /** Where each partition ends now, uncommitted records included. */
    private Map<TopicPartition, Long> writtenEnd(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            return consumer.endOffsets(
                    consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList());
        }
    }

    /**
     * Everything committed on {@code topic} now, decoded, in order per partition; or, given {@code
     * until}, only what is committed from now on until every partition passes {@code until} (at
     * most {@code follow}).
     */
    private <T extends SpecificRecord> void read(
            String topic,
            Class<T> type,
            Consumer<T> each,
            Duration follow,
            Map<TopicPartition, Long> until) {
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
            if (until != null) {
                end.forEach(consumer::seek);
            } else {
                consumer.seekToBeginning(partitions);
            }
            long deadline = System.nanoTime() + follow.toNanos();
            Map<TopicPartition, Long> target = until != null ? until : end;
            while (target.entrySet().stream()
                            .anyMatch(e -> consumer.position(e.getKey()) < e.getValue())
                    && (until == null || System.nanoTime() < deadline)) {
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
