package org.cityops.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.cityops.access.AccessDenied;
import org.cityops.access.Reader;
import org.cityops.access.Role;
import org.cityops.livestate.Documents;
import org.cityops.livestate.LiveView;
import org.cityops.schemas.cap.CapAlert;
import org.cityops.schemas.cap.CapMessages;

/**
 * Public warnings in and out: the warnings CAP messages brought in, and a major incident as a CAP
 * 1.2 message for public warning systems — never with personal data. Each version of an incident is
 * one message ({@code CITYOPS-<incident>-<version>}); the first is an Alert, later ones Update or
 * (when it is over) Cancel, referencing the first. Blocking.
 */
final class CapExports {

    /** Incidents this severe are public-warning material. */
    static final int MAJOR = 4;

    private final LiveView live;
    private final String sender;

    CapExports(LiveView live, String sender) {
        this.live = live;
        this.sender = sender;
    }

    /** Real warnings in force; {@code all}: tests, exercises and cancelled ones too. */
    JsonArray warnings(boolean all) {
        JsonArray shown = new JsonArray();
        for (String document : live.warnings()) {
            JsonObject warning = new JsonObject(document);
            if (all
                    || (warning.getBoolean("actual", false)
                            && "ACTIVE".equals(warning.getString("state")))) {
                shown.add(warning);
            }
        }
        return shown;
    }

    byte[] incident(Reader reader, String incidentId) {
        requireIssuer(reader);
        ObjectNode doc =
                live.incident(incidentId)
                        .map(Documents::parse)
                        .orElseThrow(() -> ApiException.notFound("no incident " + incidentId));
        int severity = doc.path("severity").asInt();
        if (severity < MAJOR) {
            throw ApiException.conflict(
                    "only major incidents (severity 4 or 5) are published as public warnings; "
                            + incidentId
                            + " has severity "
                            + severity);
        }
        return CapMessages.write(toCap(doc));
    }

    /**
     * A detection rule's alert (not a dry run) as a CAP 1.2 Alert: identifier {@code
     * CITYOPS-ALERT-<alert id>}, its message as headline, its location (if any) as a 1 km circle.
     */
    byte[] alert(Reader reader, String alertId) {
        requireIssuer(reader);
        ObjectNode alert =
                live.alerts(500, false).stream()
                        .map(Documents::parse)
                        .filter(a -> alertId.equals(a.path("alertId").asText()))
                        .findFirst()
                        .orElseThrow(() -> ApiException.notFound("no recent alert " + alertId));
        OffsetDateTime fired = utc(alert.path("firedAt").asText());
        JsonNode location = alert.path("location");
        List<CapAlert.Area> areas =
                location.isObject()
                        ? List.of(
                                new CapAlert.Area(
                                        location.path("district").asText("San Francisco"),
                                        List.of(),
                                        List.of(
                                                String.format(
                                                        Locale.ROOT,
                                                        "%.5f,%.5f 1.0",
                                                        location.path("lat").asDouble(),
                                                        location.path("lon").asDouble())),
                                        List.of()))
                        : List.of(
                                new CapAlert.Area(
                                        "San Francisco", List.of(), List.of(), List.of()));
        int severity = alert.path("severity").asInt();
        CapAlert.Info info =
                new CapAlert.Info(
                        "en-US",
                        List.of("Safety"),
                        alert.path("ruleId").asText(),
                        List.of("Monitor"),
                        "Expected",
                        severity >= 5
                                ? "Extreme"
                                : severity >= 4 ? "Severe" : severity >= 3 ? "Moderate" : "Minor",
                        "Likely",
                        null,
                        fired,
                        null,
                        "CityOps command centre",
                        alert.path("message").asText(),
                        "Detected by rule "
                                + alert.path("ruleId").asText()
                                + " v"
                                + alert.path("ruleVersion").asInt()
                                + " from "
                                + alert.withArray("evidenceEventIds").size()
                                + " reports.",
                        null,
                        null,
                        null,
                        List.of(
                                new CapAlert.ValuePair(
                                        "CityOpsRule", alert.path("ruleId").asText())),
                        areas);
        return CapMessages.write(
                new CapAlert(
                        "CITYOPS-ALERT-" + alertId.replaceAll("[^A-Za-z0-9_.-]", "_"),
                        sender,
                        fired,
                        "Actual",
                        "Alert",
                        null,
                        "Public",
                        null,
                        List.of(),
                        alert.path("incidentId").isTextual()
                                ? alert.path("incidentId").asText()
                                : null,
                        List.of(info)));
    }

    /** Public warnings go out from the command centre, leaders and administrators. */
    private static void requireIssuer(Reader reader) {
        if (reader.role() != Role.operator
                && reader.role() != Role.leader
                && reader.role() != Role.admin) {
            throw AccessDenied.forbidden(
                    "public warnings are issued by the command centre, leaders and administrators");
        }
    }

    CapAlert toCap(ObjectNode doc) {
        String id = doc.path("incidentId").asText();
        long version = doc.path("version").asLong();
        String status = doc.path("status").asText();
        boolean over = List.of("CANCELLED", "CLOSED", "MERGED").contains(status);
        OffsetDateTime first = utc(doc.path("firstReportAt").asText());
        OffsetDateTime updated =
                utc(doc.path("updatedAt").asText(doc.path("firstReportAt").asText()));
        List<CapAlert.Reference> references =
                version <= 1
                        ? List.of()
                        : List.of(new CapAlert.Reference(sender, identifier(id, 1), first));
        JsonNode location = doc.path("location");
        String where =
                location.path("district").isTextual()
                        ? location.path("district").asText()
                        : "San Francisco";
        String circle =
                String.format(
                        Locale.ROOT,
                        "%.5f,%.5f 0.5",
                        location.path("lat").asDouble(),
                        location.path("lon").asDouble());
        CapAlert.Info info =
                new CapAlert.Info(
                        "en-US",
                        List.of(category(doc.path("category").asText())),
                        doc.path("title").asText(),
                        List.of(over ? "AllClear" : "Avoid"),
                        over ? "Past" : "Immediate",
                        doc.path("severity").asInt() >= 5 ? "Extreme" : "Severe",
                        "Observed",
                        null,
                        first,
                        null,
                        "CityOps command centre",
                        doc.path("title").asText() + " — " + where,
                        "Incident "
                                + id
                                + " ("
                                + status.toLowerCase(Locale.ROOT)
                                + "), handled by "
                                + String.join(", ", departments(doc))
                                + ".",
                        over
                                ? "The incident is over."
                                : "Avoid the area; follow responders' directions.",
                        null,
                        null,
                        List.of(
                                new CapAlert.ValuePair("CityOpsIncident", id),
                                new CapAlert.ValuePair("CityOpsVersion", Long.toString(version))),
                        List.of(new CapAlert.Area(where, List.of(), List.of(circle), List.of())));
        return new CapAlert(
                identifier(id, version <= 1 ? 1 : version),
                sender,
                version <= 1 ? first : updated,
                "Actual",
                version <= 1 ? "Alert" : over ? "Cancel" : "Update",
                null,
                "Public",
                null,
                references,
                id,
                List.of(info));
    }

    private static String identifier(String incidentId, long version) {
        return "CITYOPS-" + incidentId.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + version;
    }

    private static List<String> departments(ObjectNode doc) {
        return Documents.involved(doc);
    }

    /** The CityOps category as a CAP category (OASIS CAP 1.2, 3.2.2). */
    static String category(String category) {
        return switch (category) {
            case "STRUCTURE_FIRE", "VEHICLE_FIRE", "OUTSIDE_FIRE", "FIRE_ALARM" -> "Fire";
            case "CARDIAC",
                    "BREATHING",
                    "STROKE",
                    "TRAUMA",
                    "OVERDOSE",
                    "BURN",
                    "UNCONSCIOUS",
                    "MEDICAL_OTHER" ->
                    "Health";
            case "VIOLENT_CRIME",
                    "SHOOTING",
                    "PROPERTY_CRIME",
                    "PUBLIC_ORDER",
                    "SUSPICIOUS_ACTIVITY" ->
                    "Security";
            case "MISSING_PERSON", "RESCUE" -> "Rescue";
            case "TRAFFIC_COLLISION", "TRAFFIC_OBSTRUCTION", "ROAD_CLOSURE", "CONGESTION" ->
                    "Transport";
            case "SIGNAL_FAILURE" -> "Infra";
            case "FLOODING" -> "Met";
            case "HAZMAT" -> "CBRNE";
            default -> "Other";
        };
    }

    private static OffsetDateTime utc(String instant) {
        return Instant.parse(instant).atOffset(ZoneOffset.UTC).withNano(0);
    }
}
