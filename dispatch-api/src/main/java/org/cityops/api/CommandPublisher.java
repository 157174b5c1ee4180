package org.cityops.api;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.cityops.schemas.city.AuditRecord;
import org.cityops.schemas.city.FeedbackCommand;
import org.cityops.schemas.serde.AvroCodec;
import org.cityops.schemas.topics.Topic;
import org.cityops.schemas.topics.Topics;

/**
 * Publishes operators' commands to {@code dispatch.feedback} (and calls they take to the
 * department's feed); only the job changes incident state (architecture brief, decision 4).
 * Idempotent producer, acks from all replicas: a command the API acknowledged is on Kafka.
 */
final class CommandPublisher implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final Topic<FeedbackCommand> topic;
    private final Topics topics;

    CommandPublisher(String bootstrapServers, Topics topics) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "dispatch-api");
        this.producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topics.feedback();
        this.topics = topics;
    }

    /** Completes on the caller's context once Kafka has the command. */
    Future<Void> publish(Context context, FeedbackCommand command) {
        byte[] value = topic.valueSerde().serializer().serialize(topic.name(), command);
        return send(context, topic.name(), command.getIncidentId(), value);
    }

    /** An audit record (e.g. a read of personal data) on {@code audit.log}, keyed by incident. */
    Future<Void> publishAudit(Context context, AuditRecord record) {
        Topic<AuditRecord> audit = topics.audit();
        byte[] value = audit.valueSerde().serializer().serialize(audit.name(), record);
        return send(context, audit.name(), record.getIncidentId(), value);
    }

    /** A report an operator took (a phone call) on its department's feed. */
    Future<Void> publishReport(Context context, ManualCalls.Call call) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        byte[] value = ((AvroCodec) AvroCodec.of(call.record().getClass())).encode(call.record());
        return send(context, topics.feed(call.feed()).name(), call.reportId(), value);
    }

    private Future<Void> send(Context context, String topicName, String key, byte[] value) {
        Promise<Void> done = Promise.promise();
        producer.send(
                new ProducerRecord<>(topicName, key.getBytes(StandardCharsets.UTF_8), value),
                (metadata, error) ->
                        context.runOnContext(
                                v -> {
                                    if (error == null) {
                                        done.complete();
                                    } else {
                                        done.fail(error);
                                    }
                                }));
        return done.future();
    }

    @Override
    public void close() {
        producer.close();
    }
}
