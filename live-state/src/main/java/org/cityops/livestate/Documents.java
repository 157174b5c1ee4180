package org.cityops.livestate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.cityops.schemas.city.DeadLetter;
import org.cityops.schemas.city.Incident;
import org.cityops.schemas.city.PayloadFormat;
import org.cityops.schemas.contract.FeedSpec;
import org.cityops.schemas.contract.JsonLineCodec;
import org.cityops.schemas.contract.Pii;
import org.cityops.schemas.serde.AvroCodec;

/**
 * The JSON documents the live view holds and readers receive: incidents, dead letters and feed
 * health, plus the masking of personal data for readers who do not need it.
 */
public final class Documents {

    public static final ObjectMapper JSON = new ObjectMapper();
    static final int EXCERPT_CHARS = 300;

    private Documents() {}

    /** The live-view write of an incident: its full document (PII included) and index fields. */
    public static LiveWrite.IncidentWrite incidentWrite(Incident incident) {
        ObjectNode doc = JsonLineCodec.toJson(incident);
        // Readers know reports by the contract's names: feed "police.calls", sender id "callId".
        for (JsonNode report : doc.withArray("reports")) {
            ObjectNode r = (ObjectNode) report;
            org.cityops.schemas.Feed feed =
                    org.cityops.schemas.Feed.valueOf(r.get("feed").asText());
            if (feed == org.cityops.schemas.Feed.UNKNOWN) {
                // filed by a detection rule, not by a department
                r.put("feed", "cityops.rules");
                r.put("alertId", r.get("sourceId").asText());
                continue;
            }
            FeedSpec<?> spec = FeedSpec.of(feed);
            r.put("feed", spec.name());
            r.put(spec.idField(), r.get("sourceId").asText());
        }
        return new LiveWrite.IncidentWrite(
                incident.getIncidentId(),
                incident.getVersion(),
                incident.getStatus().name(),
                involved(incident),
                incident.getLocation().getDistrict(),
                incident.getLastReportAt().toEpochMilli(),
                doc.toString());
    }

    /**
     * The departments an incident involves: those whose reports are in it and those it tasks (a
     * supporting department's dispatchers must find it too).
     */
    public static List<String> involved(Incident incident) {
        java.util.Set<String> all = new java.util.LinkedHashSet<>();
        incident.getDepartments().forEach(d -> all.add(d.name()));
        incident.getTasks().forEach(t -> all.add(t.getDepartment().name()));
        return List.copyOf(all);
    }

    /** The same, from an incident document. */
    public static List<String> involved(JsonNode incident) {
        java.util.Set<String> all = new java.util.LinkedHashSet<>();
        incident.withArray("departments").forEach(d -> all.add(d.asText()));
        incident.withArray("tasks").forEach(t -> all.add(t.path("department").asText()));
        return List.copyOf(all);
    }

    /** The live-view write of an audit record. */
    public static LiveWrite.AuditWrite auditWrite(org.cityops.schemas.city.AuditRecord record) {
        return new LiveWrite.AuditWrite(
                record.getAuditId(),
                record.getIncidentId(),
                record.getAt().toEpochMilli(),
                JsonLineCodec.toJson(record).toString());
    }

    /** A copy of an incident document with every report's personal data masked. */
    public static ObjectNode maskIncident(ObjectNode incident) {
        ObjectNode masked = incident.deepCopy();
        JsonNode reports = masked.get("reports");
        if (reports instanceof ArrayNode array) {
            for (JsonNode report : array) {
                JsonNode personal = report.get("personalData");
                if (personal instanceof ObjectNode data) {
                    ((ObjectNode) report).set("personalData", maskPersonalData(data));
                }
            }
        }
        return masked;
    }

    private static ObjectNode maskPersonalData(ObjectNode data) {
        ObjectNode masked = maskContact(data, JSON.createObjectNode());
        masked.put("masked", true);
        return masked;
    }

    /** Copies the caller's phone and name from {@code source} into {@code target}, masked. */
    private static ObjectNode maskContact(JsonNode source, ObjectNode target) {
        if (source.hasNonNull("callerPhone")) {
            target.put("callerPhone", Pii.maskPhone(source.get("callerPhone").asText()));
        }
        if (source.hasNonNull("callerName")) {
            target.put("callerName", Pii.maskName(source.get("callerName").asText()));
        }
        return target;
    }

    /** The live-view write of a dead letter: its reason and a PII-masked excerpt of the payload. */
    public static LiveWrite.DeadLetterWrite deadLetterWrite(DeadLetter deadLetter) {
        ObjectNode doc = JSON.createObjectNode();
        String feed = feedName(deadLetter);
        doc.put("deadLetterId", deadLetter.getDeadLetterId());
        doc.put("feed", feed);
        doc.put("format", deadLetter.getFormat().name());
        doc.put("reason", deadLetter.getReason());
        if (deadLetter.getField() != null) {
            doc.put("field", deadLetter.getField());
        }
        doc.put("receivedAt", deadLetter.getReceivedAt().toString());
        doc.put("topic", deadLetter.getTopic());
        doc.put("partition", deadLetter.getPartition());
        doc.put("offset", deadLetter.getOffset());
        byte[] payload = bytes(deadLetter.getPayload());
        doc.put("payloadBytes", payload.length);
        doc.put("payloadExcerpt", excerpt(deadLetter.getFeed(), deadLetter.getFormat(), payload));
        return new LiveWrite.DeadLetterWrite(
                feed,
                deadLetter.getDeadLetterId(),
                deadLetter.getReceivedAt().toEpochMilli(),
                doc.toString());
    }

    /** The report feed's name, or for CAP messages (not a report feed) {@code cap.alerts}. */
    private static String feedName(DeadLetter deadLetter) {
        if (deadLetter.getFeed() != org.cityops.schemas.Feed.UNKNOWN) {
            return FeedSpec.of(deadLetter.getFeed()).name();
        }
        return deadLetter.getTopic().endsWith(CAP_ALERTS) ? CAP_ALERTS : "unknown";
    }

    /** The feed name of CAP 1.2 messages in health counts and dead letters. */
    public static final String CAP_ALERTS = "cap.alerts";

    static String excerpt(org.cityops.schemas.Feed feed, PayloadFormat format, byte[] payload) {
        if (feed == org.cityops.schemas.Feed.UNKNOWN) { // CAP XML: text, digit runs masked
            return shorten(Pii.maskDigitRuns(new String(payload, StandardCharsets.UTF_8)));
        }
        if (format == PayloadFormat.JSON) {
            String text = new String(payload, StandardCharsets.UTF_8);
            try {
                JsonNode node = JSON.readTree(text);
                if (node instanceof ObjectNode object) {
                    return shorten(maskFields(object).toString());
                }
            } catch (JsonProcessingException e) {
                // not JSON: fall through to masking digit runs in the raw text
            }
            return shorten(Pii.maskDigitRuns(text));
        }
        try {
            SpecificRecord record = AvroCodec.of(FeedSpec.of(feed).recordClass()).decode(payload);
            return shorten(maskFields(JsonLineCodec.toJson(record)).toString());
        } catch (Exception e) {
            int shown = Math.min(16, payload.length);
            return "binary, first "
                    + shown
                    + " bytes: "
                    + HexFormat.ofDelimiter(" ").formatHex(payload, 0, shown);
        }
    }

    private static ObjectNode maskFields(ObjectNode record) {
        ObjectNode masked = maskContact(record, record.deepCopy());
        if (masked.has("patientAge")) {
            masked.put("patientAge", "***");
        }
        return masked;
    }

    /** The health document of a feed. */
    public static LiveWrite.FeedHealthWrite feedHealthWrite(
            FeedSpec<?> feed,
            long accepted,
            long rejected,
            long duplicates,
            Instant lastReceivedAt,
            Instant lastRejectedAt,
            String lastRejectReason) {
        return feedHealthWrite(
                feed.name(),
                feed.department().name(),
                accepted,
                rejected,
                duplicates,
                lastReceivedAt,
                lastRejectedAt,
                lastRejectReason);
    }

    /** As above for a feed that is no department's (CAP alerts: {@code department} null). */
    public static LiveWrite.FeedHealthWrite feedHealthWrite(
            String feed,
            String department,
            long accepted,
            long rejected,
            long duplicates,
            Instant lastReceivedAt,
            Instant lastRejectedAt,
            String lastRejectReason) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("feed", feed);
        doc.put("department", department);
        doc.put("accepted", accepted);
        doc.put("rejected", rejected);
        doc.put("duplicates", duplicates);
        doc.put("lastReceivedAt", lastReceivedAt == null ? null : lastReceivedAt.toString());
        doc.put("lastRejectedAt", lastRejectedAt == null ? null : lastRejectedAt.toString());
        doc.put("lastRejectReason", lastRejectReason);
        return new LiveWrite.FeedHealthWrite(
                feed, accepted + rejected + duplicates, doc.toString());
    }

    /** The live-view write of a public warning (from CAP). */
    public static LiveWrite.WarningWrite warningWrite(
            org.cityops.schemas.city.PublicWarning warning) {
        return new LiveWrite.WarningWrite(
                warning.getWarningId(),
                warning.getSent().toEpochMilli(),
                warning.getActual(),
                JsonLineCodec.toJson(warning).toString());
    }

    /** The live-view write of an alert. */
    public static LiveWrite.AlertWrite alertWrite(org.cityops.schemas.city.Alert alert) {
        return new LiveWrite.AlertWrite(
                alert.getAlertId(),
                alert.getFiredAt().toEpochMilli(),
                alert.getDryRun(),
                JsonLineCodec.toJson(alert).toString());
    }

    /** The live-view write of an escalation. */
    public static LiveWrite.EscalationWrite escalationWrite(
            org.cityops.schemas.city.Escalation escalation) {
        return new LiveWrite.EscalationWrite(
                escalation.getEscalationId(),
                escalation.getAt().toEpochMilli(),
                JsonLineCodec.toJson(escalation).toString());
    }

    /** A rule's definition document with its metrics merged in under "metrics". */
    static String ruleDocument(String ruleId, String definition, String metrics) {
        ObjectNode doc =
                definition == null
                        ? JSON.createObjectNode().put("ruleId", ruleId).put("status", "unknown")
                        : parse(definition);
        if (metrics != null) {
            doc.set("metrics", parse(metrics));
        }
        return doc.toString();
    }

    public static ObjectNode parse(String document) {
        try {
            return (ObjectNode) JSON.readTree(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the live view holds a document that is not JSON", e);
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    private static String shorten(String text) {
        return text.length() <= EXCERPT_CHARS ? text : text.substring(0, EXCERPT_CHARS) + "…";
    }
}
