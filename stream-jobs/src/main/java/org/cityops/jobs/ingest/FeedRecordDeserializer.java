package org.cityops.jobs.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.cityops.schemas.Feed;
import org.cityops.schemas.city.DeadLetter;
import org.cityops.schemas.city.PayloadFormat;
import org.cityops.schemas.contract.Decoded;
import org.cityops.schemas.contract.FeedDecoder;
import org.cityops.schemas.contract.FeedSpec;
import org.cityops.schemas.contract.Violation;
import org.cityops.schemas.feeds.TrafficReading;
import org.cityops.schemas.topics.Topics;

/**
 * Reads one feed topic: decodes each record (Avro, or a contract JSON line when the replay path
 * marked it so), validates it against the contract and normalises it. A bad record becomes a dead
 * letter with its original bytes and a reason; nothing here throws, so no record can stop the job.
 */
public final class FeedRecordDeserializer
        implements KafkaRecordDeserializationSchema<IngestRecord> {

    private static final long serialVersionUID = 1L;

    /** The feed, by its enum: Avro schemas are not Java-serialisable, so the spec is looked up. */
    private final Feed feed;

    private transient FeedSpec<?> spec;
    private transient FeedDecoder<?> decoder;
    private transient Normaliser normaliser;

    public FeedRecordDeserializer(Feed feed) {
        this.feed = feed;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        spec = FeedSpec.of(feed);
        decoder = new FeedDecoder<>(spec);
        normaliser = new Normaliser(DistrictIndex.sanFrancisco());
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<IngestRecord> out) {
        out.collect(decode(record));
    }

    IngestRecord decode(ConsumerRecord<byte[], byte[]> record) {
        if (decoder == null) {
            open(null);
        }
        boolean json = isJson(record);
        byte[] value = record.value() == null ? new byte[0] : record.value();
        Decoded<?> decoded;
        try {
            decoded =
                    json
                            ? decoder.decodeJson(new String(value, StandardCharsets.UTF_8))
                            : decoder.decodeAvro(value);
        } catch (RuntimeException e) {
            decoded = new Decoded.Rejected<>(Violation.whole("cannot decode: " + e));
        }
        if (decoded instanceof Decoded.Accepted<?> accepted) {
            try {
                if (accepted.record() instanceof TrafficReading reading) {
                    return IngestRecord.reading(
                            spec.name(), reading, accepted.fingerprint(), record.timestamp());
                }
                return IngestRecord.accepted(
                        spec.name(),
                        normaliser.normalise(spec, accepted.record(), accepted.fingerprint()),
                        record.timestamp());
            } catch (RuntimeException e) {
                decoded = new Decoded.Rejected<>(Violation.whole("cannot normalise: " + e));
            }
        }
        Violation violation = ((Decoded.Rejected<?>) decoded).violation();
        DeadLetter deadLetter =
                DeadLetter.newBuilder()
                        .setDeadLetterId(
                                record.topic() + "-" + record.partition() + "-" + record.offset())
                        .setFeed(spec.feed())
                        .setFormat(json ? PayloadFormat.JSON : PayloadFormat.AVRO)
                        .setReason(violation.message())
                        .setField(violation.field())
                        .setPayload(ByteBuffer.wrap(value))
                        .setReceivedAt(Instant.ofEpochMilli(record.timestamp()))
                        .setTopic(record.topic())
                        .setPartition(record.partition())
                        .setOffset(record.offset())
                        .build();
        return IngestRecord.rejected(spec.name(), deadLetter, record.timestamp());
    }

    private static boolean isJson(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(Topics.FORMAT_HEADER);
        return header != null
                && Topics.FORMAT_JSON.equals(new String(header.value(), StandardCharsets.UTF_8));
    }

    @Override
    public TypeInformation<IngestRecord> getProducedType() {
        return TypeInformation.of(IngestRecord.class);
    }
}
