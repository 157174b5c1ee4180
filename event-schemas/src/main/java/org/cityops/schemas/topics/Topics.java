package org.cityops.schemas.topics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
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
import org.cityops.schemas.serde.AvroSerde;

/**
 * The one registry of CityOps topics; nothing else spells a topic name. Immutable. A prefix lets
 * tests (and several CityOps installations on one cluster) keep their topics apart.
 */
public final class Topics {

    /** Kafka header that tells how a feed record's value is encoded; absent means Avro. */
    public static final String FORMAT_HEADER = "cityops-format";

    /** Value of {@link #FORMAT_HEADER} for a contract JSON line (the replay path). */
    public static final String FORMAT_JSON = "json";

    private final String prefix;

    private Topics(String prefix) {
        this.prefix = prefix;
    }

    public static Topics standard() {
        return new Topics("");
    }

    public static Topics withPrefix(String prefix) {
        return new Topics(prefix);
    }

    public String prefix() {
        return prefix;
    }

    /** The topic of an inbound feed; values are the feed's record in single-object Avro. */
    public <T extends SpecificRecord> Topic<T> feed(FeedSpec<T> spec) {
        return avro(spec.name(), spec.recordClass());
    }

    /** Normalised, accepted feed records. Key: event id. */
    public Topic<CityEvent> events() {
        return avro("city.events", CityEvent.class);
    }

    /** Incident changelog, compacted by incident id. Key: incident id. */
    public Topic<Incident> incidents() {
        return avro("city.incidents", Incident.class);
    }

    /** Records that broke the feed contract, with the reason. Key: feed name. */
    public Topic<DeadLetter> deadLetters() {
        return avro("city.deadletter", DeadLetter.class);
    }

    /** Operators' and departments' commands (merge, split, ...). Key: incident id. */
    public Topic<FeedbackCommand> feedback() {
        return avro("dispatch.feedback", FeedbackCommand.class);
    }

    /** Orders to departments: one per department tasked with an incident. Key: department. */
    public Topic<DispatchOrder> orders() {
        return avro("dispatch.orders", DispatchOrder.class);
    }

    /** Every state change of an incident and every refused action. Key: incident id. */
    public Topic<AuditRecord> audit() {
        return avro("audit.log", AuditRecord.class);
    }

    /** Missed deadlines and who was told. Key: incident id. */
    public Topic<Escalation> escalations() {
        return avro("city.escalations", Escalation.class);
    }

    /** Detection rules as JSON documents, compacted by rule id; a null value retires a rule. */
    public Topic<String> rules() {
        return new Topic<>(prefix + "rules", String.class, Serdes.String(), Serdes.String());
    }

    /** Every firing of a detection rule. Key: alert id. */
    public Topic<Alert> alerts() {
        return avro("city.alerts", Alert.class);
    }

    /**
     * Inbound CAP 1.2 alert messages as the XML the sender wrote (UTF-8). Key: the message's
     * sender/identifier.
     */
    public Topic<byte[]> capAlerts() {
        return new Topic<>(
                prefix + "cap.alerts", byte[].class, Serdes.String(), Serdes.ByteArray());
    }

    /** Public warnings from CAP messages, in their latest state. Key: warning id. */
    public Topic<PublicWarning> warnings() {
        return avro("city.warnings", PublicWarning.class);
    }

    /** Every topic CityOps uses, for creating them. */
    public List<Topic<?>> all() {
        List<Topic<?>> all = new ArrayList<>();
        FeedSpec.all().forEach(spec -> all.add(feed(spec)));
        all.add(events());
        all.add(incidents());
        all.add(deadLetters());
        all.add(feedback());
        all.add(orders());
        all.add(escalations());
        all.add(audit());
        all.add(rules());
        all.add(alerts());
        all.add(capAlerts());
        all.add(warnings());
        return Collections.unmodifiableList(all);
    }

    /**
     * The topic-level configuration CityOps relies on. Every topic stamps records with the time the
     * broker appended them ({@code LogAppendTime}): Kafka's time-based retention and segment
     * rolling read that timestamp, and with the producer's time a replay of 2018 data (or a
     * department system with a wrong clock) had its records deleted at the broker's next retention
     * check — minutes after they were written. Event time always travels in the record itself.
     */
    public java.util.Map<String, String> configOf(Topic<?> topic) {
        java.util.Map<String, String> config = new java.util.TreeMap<>();
        config.put("message.timestamp.type", "LogAppendTime");
        if (isCompacted(topic)) {
            config.put("cleanup.policy", "compact");
            // every version of an incident stays readable for a day before the cleaner may drop
            // it: an audit after a failure (ChangelogAudit) can then count every version of the
            // day, not only what compaction left; the latest per incident is kept for ever
            java.time.Duration lag =
                    topic.name().equals(incidents().name())
                            ? java.time.Duration.ofDays(1)
                            : java.time.Duration.ofMinutes(1);
            config.put("min.compaction.lag.ms", String.valueOf(lag.toMillis()));
        }
        if (topic.name().equals(audit().name())) {
            // who did what is evidence: kept until the city's archive policy removes it, not 7 days
            config.put("retention.ms", "-1");
        }
        return config;
    }

    /** True for topics that keep only the latest record per key. */
    public boolean isCompacted(Topic<?> topic) {
        return topic.name().equals(incidents().name())
                || topic.name().equals(rules().name())
                || topic.name().equals(warnings().name());
    }

    private <V extends SpecificRecord> Topic<V> avro(String base, Class<V> type) {
        return new Topic<>(prefix + base, type, Serdes.String(), new AvroSerde<>(type));
    }
}
