package org.cityops.api;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.cityops.access.AccessDenied;
import org.cityops.access.Reader;
import org.cityops.access.Role;
import org.cityops.schemas.Department;
import org.cityops.schemas.contract.Decoded;
import org.cityops.schemas.contract.FeedDecoder;
import org.cityops.schemas.contract.FeedSpec;

/**
 * An operator takes a phone call and opens an incident: the call becomes a report of the named
 * department's feed (id {@code OPS-…}), checked by the same decoder the job uses, so it is
 * normalised and fused like any other report — a second call about the same fire joins the same
 * incident. The urgency scale is the feed's own (police priority and EMS acuity run 1 = most
 * urgent; fire alarm level and traffic severity 5 = most severe).
 */
final class ManualCalls {

    /** A call ready to publish on its feed. */
    record Call(FeedSpec<?> feed, String reportId, SpecificRecord record) {
        String eventId() {
            return feed.name() + "/" + reportId;
        }
    }

    private final Clock cityClock;

    ManualCalls(Clock cityClock) {
        this.cityClock = cityClock;
    }

    Call take(Reader reader, JsonObject body) {
        if (reader.role() != Role.operator) {
            throw AccessDenied.forbidden("only command-centre operators take calls");
        }
        Department department = Department.valueOf(body.getString("department"));
        int severity = body.getInteger("severity");
        String id = "OPS-" + UUID.randomUUID().toString().substring(0, 13);
        JsonObject location =
                new JsonObject()
                        .put("lat", body.getDouble("lat"))
                        .put("lon", body.getDouble("lon"));
        if (body.getString("address") != null) {
            location.put("address", body.getString("address"));
        }
        String receivedAt = cityClock.instant().toString();
        int urgency = Math.max(1, Math.min(4, 5 - severity)); // 1 = most urgent
        JsonObject line = new JsonObject().put("location", location);
        FeedSpec<?> feed;
        switch (department) {
            case police -> {
                feed = FeedSpec.POLICE_CALLS;
                line.put("callId", id)
                        .put("receivedAt", receivedAt)
                        .put("category", body.getString("category"))
                        .put("priority", urgency)
                        .put("callerName", body.getString("callerName"));
            }
            case fire -> {
                feed = FeedSpec.FIRE_ALARMS;
                line.put("alarmId", id)
                        .put("receivedAt", receivedAt)
                        .put("source", "CALL")
                        .put("category", body.getString("category"))
                        .put("alarmLevel", severity);
            }
            case medical -> {
                feed = FeedSpec.MEDICAL_CALLS;
                line.put("callId", id)
                        .put("receivedAt", receivedAt)
                        .put("complaint", body.getString("category"))
                        .put("acuity", urgency);
            }
            case traffic -> {
                feed = FeedSpec.TRAFFIC_INCIDENTS;
                line.put("reportId", id)
                        .put("detectedAt", receivedAt)
                        .put("type", body.getString("category"))
                        .put("severity", severity)
                        .put("source", "CALL");
            }
            default -> throw ApiException.badRequest("department", "no such department");
        }
        if (department != Department.traffic) {
            line.put("callerPhone", body.getString("callerPhone"))
                    .put(
                            "description",
                            body.getString("description") + " (taken by " + reader.subject() + ")");
        }
        Decoded<?> decoded = new FeedDecoder<>(feed).decodeJson(withoutNulls(line).encode());
        if (decoded instanceof Decoded.Rejected<?> rejected) {
            throw ApiException.badRequest(
                    rejected.violation().field(), rejected.violation().message());
        }
        return new Call(feed, id, ((Decoded.Accepted<?>) decoded).record());
    }

    private static JsonObject withoutNulls(JsonObject line) {
        line.fieldNames().removeIf(name -> line.getValue(name) == null);
        return line;
    }
}
