package org.cityops.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cityops.access.Reader;
import org.cityops.livestate.Documents;
import org.cityops.livestate.LiveView;

/**
 * An incident as a NENA Emergency Incident Data Object (EIDO, NENA-STA-021.1a-2022), in the
 * standard's JSON field names where CityOps has the data: the incident, one call per report, one
 * dispatch and one emergency resource per tasked department, the agencies, the location (PIDF-LO),
 * the audit trail as notes, and merges and links as the standard's merge and link components. For
 * exchange with other centres, so never personal data. Blocking.
 */
final class EidoExports {

    private static final Map<String, String> AGENCIES =
            Map.of(
                    "police", "San Francisco Police Department",
                    "fire", "San Francisco Fire Department",
                    "medical", "San Francisco Fire Department EMS",
                    "traffic", "San Francisco Municipal Transportation Agency");

    private final LiveView live;
    private final IncidentReads incidents;
    private final String element;

    /** {@code element}: this system's NENA element identifier, e.g. {@code cityops.sf.example}. */
    EidoExports(LiveView live, IncidentReads incidents, String element) {
        this.live = live;
        this.incidents = incidents;
        this.element = element;
    }

    JsonObject incident(Reader reader, String incidentId) {
        ObjectNode doc = incidents.readable(reader, incidentId);
        return eido(Documents.maskIncident(doc), live.audit(incidentId, 200));
    }

    JsonObject eido(ObjectNode doc, List<String> audit) {
        String id = doc.path("incidentId").asText();
        String updated = doc.path("updatedAt").asText();
        JsonObject incident =
                new JsonObject()
                        .put("$id", "incident")
                        .put("lastUpdateTimeStamp", updated)
                        .put("incidentTrackingIdentifier", trackingId(id))
                        .put("internalIncidentId", id)
                        .put("incidentTypeInternalCode", doc.path("category").asText())
                        .put("incidentTypeInternalText", doc.path("title").asText())
                        .put(
                                "incidentTypeCommonRegistryText",
                                registryType(doc.path("category").asText()))
                        .put(
                                "incidentStatusInternalText",
                                new JsonArray().add(doc.path("status").asText()))
                        .put(
                                "incidentStatusCommonRegistryText",
                                new JsonArray().add(registryStatus(doc.path("status").asText())))
                        .put(
                                "incidentPriorityInternalText",
                                "severity " + doc.path("severity").asInt())
                        .put("incidentCommonPriorityNumber", doc.path("severity").asInt() * 2)
                        .put("locationReference", refs("location"));
        if (doc.path("location").path("policeDistrict").isTextual()) {
            incident.put(
                    "beatOrDispatchGroupText",
                    doc.path("location").path("policeDistrict").asText());
        }
        JsonArray dispositions = new JsonArray();
        JsonArray dispatches = new JsonArray();
        JsonArray resources = new JsonArray();
        JsonArray agencies = new JsonArray();
        for (JsonNode task : doc.withArray("tasks")) {
            String department = task.path("department").asText();
            JsonObject dispatch =
                    new JsonObject()
                            .put("$id", "dispatch-" + department)
                            .put("lastUpdateTimeStamp", task.path("updatedAt").asText())
                            .put("dispatchedAgencyReference", ref("agency-" + department))
                            .put("emergencyResourceReference", refs("resource-" + department))
                            .put("dispatchTimeStamp", task.path("orderedAt").asText());
            putTime(dispatch, "acknowledgedTimeStamp", task, "acknowledgedAt");
            putTime(dispatch, "enRouteTimeStamp", task, "enRouteAt");
            putTime(dispatch, "onSceneTimeStamp", task, "onSceneAt");
            putTime(dispatch, "clearedTimeStamp", task, "resolvedAt");
            dispatches.add(dispatch);
            resources.add(
                    new JsonObject()
                            .put("$id", "resource-" + department)
                            .put("lastUpdateTimeStamp", task.path("updatedAt").asText())
                            .put("emergencyResourceTypeText", department)
                            .put("emergencyResourceStatusText", task.path("status").asText())
                            .put("emergencyResourcePrimaryIndicator", task.path("lead").asBoolean())
                            .put("agencyReference", ref("agency-" + department)));
            agencies.add(
                    new JsonObject()
                            .put("$id", "agency-" + department)
                            .put("agencyIdentifier", department + "." + element)
                            .put("agencyName", AGENCIES.getOrDefault(department, department)));
            if (task.path("disposition").isTextual()) {
                dispositions.add(
                        new JsonObject()
                                .put("dispositionInternalText", task.path("disposition").asText())
                                .put(
                                        "dispositionUpdatedTimeStamp",
                                        task.path("resolvedAt").asText(updated))
                                .put("agencyReference", ref("agency-" + department)));
            }
        }
        if (!dispositions.isEmpty()) {
            incident.put("dispositionComponent", dispositions);
        }
        JsonArray calls = new JsonArray();
        for (JsonNode report : doc.withArray("reports")) {
            String feed = report.path("feed").asText().toLowerCase(Locale.ROOT).replace('_', '.');
            calls.add(
                    new JsonObject()
                            .put(
                                    "$id",
                                    "call-"
                                            + report.path("eventId")
                                                    .asText()
                                                    .replaceAll("[^A-Za-z0-9_.-]", "_"))
                            .put("lastUpdateTimeStamp", report.path("reportedAt").asText())
                            .put(
                                    "callTrackingIdentifier",
                                    "urn:emergency:uid:callid:"
                                            + report.path("sourceId").asText()
                                            + ":"
                                            + feed
                                            + "."
                                            + element)
                            .put("callStartTimeStamp", report.path("reportedAt").asText())
                            .put(
                                    "callTypeDescriptionText",
                                    report.path("originalCategory").asText(""))
                            .put("incidentTrackingIdentifier", trackingId(id))
                            .put("locationReference", refs("location")));
        }
        JsonArray notes = new JsonArray();
        for (int i = audit.size() - 1; i >= 0; i--) { // the live view keeps newest first
            JsonObject a = new JsonObject(audit.get(i));
            notes.add(
                    new JsonObject()
                            .put("$id", "note-" + (audit.size() - i))
                            .put("noteDateTimeStamp", a.getValue("at").toString())
                            .put("noteAuthorText", a.getString("actor"))
                            .put(
                                    "noteText",
                                    a.getString("action")
                                            + " "
                                            + a.getString("outcome", "")
                                            + (a.getString("reason") == null
                                                    ? ""
                                                    : ": " + a.getString("reason"))));
        }
        JsonArray merges = new JsonArray();
        JsonArray links = new JsonArray();
        for (JsonNode link : doc.withArray("links")) {
            String kind = link.path("kind").asText();
            String other = trackingId(link.path("incidentId").asText());
            switch (kind) {
                case "REPLACED_BY" -> merges.add(merge(other, "REPLACED", link));
                case "REPLACES" -> merges.add(merge(other, "REPLACING", link));
                case "PARENT", "CHILD" -> merges.add(merge(other, "SPLIT", link));
                default ->
                        links.add(
                                new JsonObject()
                                        .put("incidentTrackingIdentifier", other)
                                        .put("linkActionCode", "LINK")
                                        .put(
                                                "transactionReasonText",
                                                link.path("reason").asText("related")));
            }
        }
        JsonNode location = doc.path("location");
        JsonObject eido =
                new JsonObject()
                        .put("$id", "urn:cityops:eido:" + id + ":" + doc.path("version").asLong())
                        .put("eidoVersion", "1.0")
                        .put("lastUpdateTimeStamp", updated)
                        .put("issuingElementIdentification", element)
                        .put("incidentComponent", incident)
                        .put("callComponent", calls)
                        .put("dispatchComponent", dispatches)
                        .put("emergencyResourceComponent", resources)
                        .put("agencyComponent", agencies)
                        .put("notesComponent", notes)
                        .put(
                                "locationComponent",
                                new JsonArray()
                                        .add(
                                                new JsonObject()
                                                        .put("$id", "location")
                                                        .put("lastUpdateTimeStamp", updated)
                                                        .put(
                                                                "locationByValue",
                                                                pidfLo(id, location))
                                                        .put(
                                                                "civicAddressText",
                                                                location.path("address").asText(""))
                                                        .put(
                                                                "districtText",
                                                                location.path("district")
                                                                        .asText(""))));
        if (!merges.isEmpty()) {
            eido.put("mergeComponent", merges);
        }
        if (!links.isEmpty()) {
            eido.put("linkComponent", links);
        }
        return eido;
    }

    private JsonObject merge(String other, String direction, JsonNode link) {
        return new JsonObject()
                .put("incidentTrackingIdentifier", other)
                .put("incidentMergeDirectionCode", direction)
                .put("lastUpdateTimeStamp", link.path("at").asText());
    }

    /** NENA's incident tracking identifier: {@code urn:emergency:uid:incidentid:<id>:<element>}. */
    String trackingId(String incidentId) {
        return "urn:emergency:uid:incidentid:" + incidentId + ":" + element;
    }

    /** A PIDF-LO point (RFC 4119/5491), as EIDO carries a location by value. */
    private static String pidfLo(String id, JsonNode location) {
        return "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\""
                + " xmlns:gp=\"urn:ietf:params:xml:ns:pidf:geopriv10\""
                + " xmlns:gml=\"http://www.opengis.net/gml\" entity=\"pres:"
                + id
                + "@cityops\"><tuple id=\"location\"><status><gp:geopriv><gp:location-info>"
                + "<gml:Point srsName=\"urn:ogc:def:crs:EPSG::4326\"><gml:pos>"
                + String.format(
                        Locale.ROOT,
                        "%.6f %.6f",
                        location.path("lat").asDouble(),
                        location.path("lon").asDouble())
                + "</gml:pos></gml:Point></gp:location-info></gp:geopriv></status></tuple></presence>";
    }

    private static JsonObject ref(String id) {
        return new JsonObject().put("$ref", id);
    }

    private static JsonArray refs(String id) {
        return new JsonArray().add(ref(id));
    }

    private static void putTime(JsonObject target, String name, JsonNode task, String field) {
        if (task.path(field).isTextual()) {
            target.put(name, task.path(field).asText());
        }
    }

    private static String registryType(String category) {
        return switch (CapExports.category(category)) {
            case "Fire" -> "Fire";
            case "Health" -> "Medical";
            case "Security" -> "Law Enforcement";
            case "Transport" -> "Traffic";
            case "Rescue" -> "Rescue";
            case "CBRNE" -> "Hazardous Materials";
            default -> "Other";
        };
    }

    private static String registryStatus(String status) {
        return switch (status) {
            case "DISCOVERED" -> "Pending";
            case "DISPATCHED" -> "Dispatched";
            case "IN_PROGRESS" -> "Active";
            case "RESOLVED" -> "Resolved";
            case "CLOSED" -> "Closed";
            case "CANCELLED" -> "Cancelled";
            case "MERGED" -> "Merged";
            default -> "Unknown";
        };
    }
}
