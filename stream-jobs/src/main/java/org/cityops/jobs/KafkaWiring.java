package org.cityops.jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.cityops.jobs.ingest.FeedRecordDeserializer;
import org.cityops.jobs.ingest.IngestRecord;
import org.cityops.jobs.rules.RuleRecord;
import org.cityops.jobs.rules.RuleRecordDeserializer;
import org.cityops.jobs.sinks.AvroKafkaSerializer;
import org.cityops.jobs.sinks.LiveViewSink;
import org.cityops.jobs.sinks.LiveWrites;
import org.cityops.jobs.warnings.CapRecordDeserializer;
import org.cityops.schemas.city.Alert;
import org.cityops.schemas.city.AuditRecord;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.city.DeadLetter;
import org.cityops.schemas.city.DispatchOrder;
import org.cityops.schemas.city.Escalation;
import org.cityops.schemas.city.FeedbackCommand;
import org.cityops.schemas.city.Incident;
import org.cityops.schemas.city.PublicWarning;
import org.cityops.schemas.contract.FeedSpec;
import org.cityops.schemas.serde.AvroFlinkSchema;
import org.cityops.schemas.topics.Topics;

/** The real sources and sinks: Kafka in, exactly-once Kafka and the live view out. */
public final class KafkaWiring {

    /** Below the broker's 15-minute cap on transactions (platform notes, trap 1). */
    static final String TRANSACTION_TIMEOUT_MS = String.valueOf(10 * 60 * 1000);

    private KafkaWiring() {}

    public static IngestJob ingestJob(JobConfig config) {
        Topics topics = Topics.withPrefix(config.topicPrefix());
        Map<FeedSpec<?>, Source<IngestRecord, ?, ?>> sources = new LinkedHashMap<>();
        for (FeedSpec<?> spec : FeedSpec.all()) {
            sources.put(spec, feedSource(config, topics, spec));
        }
        IngestJob.Sinks sinks =
                new IngestJob.Sinks(
                        kafkaSink(
                                config,
                                topics.events().name(),
                                CityEvent.class,
                                "eventId",
                                "events"),
                        kafkaSink(
                                config,
                                topics.incidents().name(),
                                Incident.class,
                                "incidentId",
                                "incidents"),
                        kafkaSink(
                                config,
                                topics.deadLetters().name(),
                                DeadLetter.class,
                                "feed",
                                "deadletters"),
                        new LiveViewSink<>(
                                config.liveView(),
                                new LiveWrites.OfIncident(),
                                config.liveViewMaxDelayMillis(),
                                500),
                        new LiveViewSink<>(
                                config.liveView(),
                                new LiveWrites.OfDeadLetter(),
                                config.liveViewMaxDelayMillis(),
                                500),
                        new LiveViewSink<>(
                                config.liveView(),
                                new LiveWrites.OfFeedHealth(),
                                config.liveViewMaxDelayMillis(),
                                50),
                        kafkaSink(config, topics.alerts().name(), Alert.class, "alertId", "alerts"),
                        new LiveViewSink<>(
                                config.liveView(),
                                new LiveWrites.OfAlert(),
                                config.liveViewMaxDelayMillis(),
                                100),
                        new LiveViewSink<>(
                                config.liveView(),
                                new LiveWrites.OfRuleStatus(),
                                config.liveViewMaxDelayMillis(),
                                50),
                        kafkaSink(
                                config,
                                topics.orders().name(),
                                DispatchOrder.class,
                                "department",
                                "orders"),
                        kafkaSink(
                                config,
                                topics.escalations().name(),
                                Escalation.class,
                                "incidentId",
                                "escalations"),
                        new LiveViewSink<>(
                                config.liveView(),
                                new LiveWrites.OfEscalation(),
                                config.liveViewMaxDelayMillis(),
                                100),
                        new LiveViewSink<>(
                                config.liveView(),
                                new LiveWrites.OfDayKpi(),
                                config.liveViewMaxDelayMillis(),
                                200),
                        kafkaSink(
                                config,
                                topics.audit().name(),
                                AuditRecord.class,
                                "incidentId",
                                "audit"),
                        new LiveViewSink<>(
                                config.liveView(),
                                new LiveWrites.OfAudit(),
                                config.liveViewMaxDelayMillis(),
                                200),
                        kafkaSink(
                                config,
                                topics.warnings().name(),
                                PublicWarning.class,
                                "warningId",
                                "warnings"),
                        new LiveViewSink<>(
                                config.liveView(),
                                new LiveWrites.OfWarning(),
                                config.liveViewMaxDelayMillis(),
                                50));
        KafkaSource<FeedbackCommand> commands =
                KafkaSource.<FeedbackCommand>builder()
                        .setBootstrapServers(config.kafkaBootstrap())
                        .setTopics(topics.feedback().name())
                        .setGroupId(config.groupId())
                        .setStartingOffsets(
                                OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                        .setValueOnlyDeserializer(new AvroFlinkSchema<>(FeedbackCommand.class))
                        .setProperty("isolation.level", "read_committed")
                        .build();
        // Rules are read from the start of the compacted topic: the whole rule set, then every
        // change.
        KafkaSource<RuleRecord> rules =
                KafkaSource.<RuleRecord>builder()
                        .setBootstrapServers(config.kafkaBootstrap())
                        .setTopics(topics.rules().name())
                        .setGroupId(config.groupId() + "-rules")
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setDeserializer(new RuleRecordDeserializer())
                        .build();
        KafkaSource<IngestRecord> capAlerts =
                KafkaSource.<IngestRecord>builder()
                        .setBootstrapServers(config.kafkaBootstrap())
                        .setTopics(topics.capAlerts().name())
                        .setGroupId(config.groupId())
                        .setStartingOffsets(
                                OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                        .setDeserializer(new CapRecordDeserializer())
                        .setProperty("isolation.level", "read_committed")
                        .setProperty("client.id.prefix", config.groupId() + "-cap-alerts")
                        .build();
        return new IngestJob(
                new IngestJob.Sources(sources, commands, rules, capAlerts),
                sinks,
                config,
                config.fusionConfig());
    }

    private static <T extends org.apache.avro.specific.SpecificRecord>
            KafkaSource<IngestRecord> feedSource(
                    JobConfig config, Topics topics, FeedSpec<T> spec) {
        return KafkaSource.<IngestRecord>builder()
                .setBootstrapServers(config.kafkaBootstrap())
                .setTopics(topics.feed(spec).name())
                .setGroupId(config.groupId())
                .setStartingOffsets(
                        OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new FeedRecordDeserializer(spec.feed()))
                .setProperty("isolation.level", "read_committed")
                .setProperty("client.id.prefix", config.groupId() + "-" + spec.name())
                .build();
    }

    private static <T extends SpecificRecordBase> KafkaSink<T> kafkaSink(
            JobConfig config, String topic, Class<T> type, String keyField, String name) {
        Properties producer = new Properties();
        producer.setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS);
        producer.setProperty("linger.ms", "5");
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.kafkaBootstrap())
                .setRecordSerializer(new AvroKafkaSerializer<>(topic, type, keyField))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(config.transactionalIdPrefix() + "-" + name)
                .setKafkaProducerConfig(producer)
                .build();
    }
}
