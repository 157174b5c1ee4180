package org.cityops.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.cityops.infra.EmbeddedKafka;
import org.cityops.infra.RedisServerProcess;
import org.cityops.livestate.LiveView;
import org.cityops.livestate.LiveViewKeeper;
import org.cityops.livestate.LiveViews;
import org.cityops.schemas.Action;
import org.cityops.schemas.Category;
import org.cityops.schemas.CityLocation;
import org.cityops.schemas.Department;
import org.cityops.schemas.Feed;
import org.cityops.schemas.IncidentStatus;
import org.cityops.schemas.PersonalData;
import org.cityops.schemas.city.Incident;
import org.cityops.schemas.city.IncidentReport;
import org.cityops.schemas.serde.AvroCodec;
import org.cityops.schemas.topics.TopicSetup;
import org.cityops.schemas.topics.Topics;

/**
 * {@code ./cityops bench --rebuild [VERSIONS]}: how long the live view takes to come back from
 * Kafka after Redis is lost, for a changelog holding every version of a busy day ({@code
 * city.incidents} keeps each version a day before compaction) and for the same incidents fully
 * compacted (one record each). Real broker and redis-server; each rebuild goes into an empty store,
 * as after a loss.
 */
final class RebuildBench {

    private static final int ROUNDS = 3;

    private RebuildBench() {}

    /** One timed rebuild into an empty store. */
    record Round(boolean everyVersion, int incidentsWritten, long millis) {}

    static List<Round> run(int versions) throws Exception {
        List<Round> rounds = new ArrayList<>();
        Path dir = Files.createTempDirectory(Path.of("target"), "bench-rebuild");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"));
                RedisServerProcess redis =
                        RedisServerProcess.start(dir.resolve("redis"), 0, false)) {
            Topics full = Topics.withPrefix("full.");
            Topics compacted = Topics.withPrefix("compacted.");
            TopicSetup.ensure(kafka.bootstrapServers(), full, 2, (short) 1);
            TopicSetup.ensure(kafka.bootstrapServers(), compacted, 2, (short) 1);
            int incidents = write(kafka.bootstrapServers(), full, compacted, versions);
            BenchMain.log(
                    "wrote %,d incident versions (%,d incidents) and their latest versions only",
                    versions, incidents);
            for (int i = 1; i <= ROUNDS; i++) {
                for (Topics topics : List.of(full, compacted)) {
                    String target =
                            LiveViews.redisTarget(redis.uri(), "rebuild-" + rounds.size() + ":");
                    try (LiveView live = LiveViews.open(target)) {
                        LiveViewKeeper keeper =
                                new LiveViewKeeper(live, kafka.bootstrapServers(), topics);
                        long started = System.nanoTime();
                        int writes = keeper.check();
                        long ms = (System.nanoTime() - started) / 1_000_000;
                        keeper.close();
                        rounds.add(new Round(topics == full, writes, ms));
                        System.out.printf(
                                Locale.ROOT,
                                "round %d, %-18s %,9d records read → %,d incidents written in %,d ms%n",
                                i,
                                topics == full ? "every version:" : "latest only:",
                                topics == full ? versions : incidents,
                                writes,
                                ms);
                    }
                }
            }
        } finally {
            EmbeddedKafka.deleteQuietly(dir);
        }
        return rounds;
    }

    /**
     * Incidents of 1 to 5 versions (mean 3, as fused police reports give), version n holding n
     * reports with their personal data; every version to {@code full}, the last to {@code
     * compacted}. Returns the number of incidents.
     */
    private static int write(String kafka, Topics full, Topics compacted, int versions)
            throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000"); // a lost record fails fast
        AvroCodec<Incident> codec = AvroCodec.of(Incident.class);
        Instant at = Instant.parse("2018-06-01T08:00:00Z");
        int written = 0;
        int incidents = 0;
        AtomicReference<Exception> failed = new AtomicReference<>();
        Callback check =
                (metadata, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                };
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            while (written < versions) {
                String id = "I-" + incidents;
                int count = Math.min(1 + incidents % 5, versions - written);
                List<IncidentReport> reports = new ArrayList<>();
                byte[] last = null;
                for (int v = 1; v <= count; v++) {
                    reports.add(report(id + "-" + v, at));
                    last = codec.encode(incident(id, v, reports, at));
                    producer.send(new ProducerRecord<>(full.incidents().name(), id, last), check);
                }
                producer.send(new ProducerRecord<>(compacted.incidents().name(), id, last), check);
                written += count;
                incidents++;
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("a changelog record was not written", failed.get());
        }
        return incidents;
    }

    private static IncidentReport report(String sourceId, Instant at) {
        return IncidentReport.newBuilder()
                .setEventId("police.calls/" + sourceId)
                .setFeed(Feed.POLICE_CALLS)
                .setSourceId(sourceId)
                .setDepartment(Department.police)
                .setAction(Action.NEW)
                .setReportedAt(at)
                .setCategory(Category.OTHER)
                .setOriginalCategory("Suspicious Person")
                .setSeverity(3)
                .setPersonalData(new PersonalData("415-555-0142", "Ada Lovelace", 67))
                .build();
    }

    private static Incident incident(
            String id, int version, List<IncidentReport> reports, Instant at) {
        return Incident.newBuilder()
                .setIncidentId(id)
                .setVersion(version)
                .setStatus(IncidentStatus.DISCOVERED)
                .setCategory(Category.OTHER)
                .setSeverity(3)
                .setTitle("Suspicious person")
                .setDepartments(List.of(Department.police))
                .setLocation(
                        CityLocation.newBuilder()
                                .setLat(37.78)
                                .setLon(-122.41)
                                .setDistrict("MISSION")
                                .build())
                .setFirstReportAt(at)
                .setLastReportAt(at)
                .setUpdatedAt(at)
                .setReports(List.copyOf(reports))
                .build();
    }
}
