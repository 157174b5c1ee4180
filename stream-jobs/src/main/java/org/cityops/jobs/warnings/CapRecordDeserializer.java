package org.cityops.jobs.warnings;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.zip.CRC32C;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.cityops.jobs.ingest.DistrictIndex;
import org.cityops.jobs.ingest.IngestRecord;
import org.cityops.schemas.Feed;
import org.cityops.schemas.cap.CapAlert;
import org.cityops.schemas.cap.CapMessages;
import org.cityops.schemas.city.DeadLetter;
import org.cityops.schemas.city.PayloadFormat;
import org.cityops.schemas.city.PublicWarning;

/**
 * Reads {@code cap.alerts}: each record is one CAP 1.2 XML message. A valid one becomes a public
 * warning; one that is not CAP 1.2 (or an Ack/Error, which says nothing about a warning) becomes a
 * dead letter with the reason and its bytes, and is counted in the feed's health. Never throws.
 */
public final class CapRecordDeserializer implements KafkaRecordDeserializationSchema<IngestRecord> {

    private static final long serialVersionUID = 1L;

    /** The feed's name in health counts and dead letters. */
    public static final String FEED = "cap.alerts";

    private transient Warnings warnings;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        warnings = new Warnings(DistrictIndex.sanFrancisco());
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<IngestRecord> out) {
        out.collect(decode(record));
    }

    IngestRecord decode(ConsumerRecord<byte[], byte[]> record) {
        if (warnings == null) {
            open(null);
        }
        byte[] value = record.value() == null ? new byte[0] : record.value();
        String reason;
        String element = null;
        try {
            CapAlert alert = CapMessages.parse(value);
            PublicWarning warning = warnings.toWarning(alert);
            if (warning != null) {
                CRC32C crc = new CRC32C();
                crc.update(value);
                return IngestRecord.warning(FEED, warning, crc.getValue(), record.timestamp());
            }
            reason = "a CAP " + alert.msgType() + " message says nothing about a warning";
        } catch (CapMessages.CapInvalid e) {
            reason = e.getMessage();
            element = e.element();
        } catch (RuntimeException e) {
            reason = "cannot read: " + e;
        }
        DeadLetter deadLetter =
                DeadLetter.newBuilder()
                        .setDeadLetterId(
                                record.topic() + "-" + record.partition() + "-" + record.offset())
                        .setFeed(Feed.UNKNOWN) // not one of the five report feeds: see topic
                        .setFormat(PayloadFormat.UNKNOWN)
                        .setReason(reason)
                        .setField(element)
                        .setPayload(ByteBuffer.wrap(value))
                        .setReceivedAt(Instant.ofEpochMilli(record.timestamp()))
                        .setTopic(record.topic())
                        .setPartition(record.partition())
                        .setOffset(record.offset())
                        .build();
        return IngestRecord.rejected(FEED, deadLetter, record.timestamp());
    }

    @Override
    public TypeInformation<IngestRecord> getProducedType() {
        return TypeInformation.of(IngestRecord.class);
    }
}
