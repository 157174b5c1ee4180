package org.cityops.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.cityops.access.AccessDenied;
import org.cityops.access.Reader;
import org.cityops.access.Role;
import org.cityops.livestate.Documents;
import org.cityops.livestate.IncidentPage;
import org.cityops.livestate.IncidentQuery;
import org.cityops.livestate.LiveView;

/**
 * Incident reads from the live view, restricted and masked for the reader. Blocking. Lists never
 * carry personal data (it is in the detail, for those who need it, and every such read is audited).
 */
final class IncidentReads {

    /** How many candidates a search or a queue looks at (the live view keeps current incidents). */
    static final int SEARCH_CAP = 20_000;

    private static final Set<String> OPEN_TASK =
            Set.of("ORDERED", "ACKNOWLEDGED", "EN_ROUTE", "ON_SCENE");
    private static final Set<String> OVER = Set.of("RESOLVED", "CLOSED", "CANCELLED", "MERGED");

    private final LiveView live;

    IncidentReads(LiveView live) {
        this.live = live;
    }

    /**
     * A page of incidents as its JSON text: the stored documents are spliced in as they are (a
     * document with personal data is masked first), so the commonest read does no JSON work for
     * most incidents.
     */
    String list(Reader reader, IncidentListParams params) {
        if (params.indexOnly()) {
            IncidentPage page =
                    live.incidents(query(reader, params, params.offset(), params.limit()));
            StringBuilder items = new StringBuilder();
            for (String d : page.documents()) {
                items.append(items.isEmpty() ? "" : ",").append(maskedText(d));
            }
            return pageText(items, page.total(), params, null);
        }
        IncidentPage candidates = live.incidents(query(reader, params, 0, SEARCH_CAP));
        List<ObjectNode> found =
                candidates.documents().stream()
                        .map(Documents::parse)
                        .filter(IncidentSearch.filter(params))
                        .sorted(IncidentSearch.order(params.sort()))
                        .toList();
        StringBuilder items = new StringBuilder();
        found.stream()
                .skip(params.offset())
                .limit(params.limit())
                .forEach(
                        d ->
                                items.append(items.isEmpty() ? "" : ",")
                                        .append(Documents.maskIncident(d).toString()));
        // the newest SEARCH_CAP of the candidates only, when there were more
        return pageText(
                items,
                found.size(),
                params,
                candidates.total() > SEARCH_CAP ? (long) SEARCH_CAP : null);
    }

    /** A stored document as list readers get it: masked, parsed only if it has personal data. */
    private static String maskedText(String document) {
        return document.contains("\"personalData\":{")
                ? Documents.maskIncident(Documents.parse(document)).toString()
                : document;
    }

    private static String pageText(
            StringBuilder items, long total, IncidentListParams params, Long searchedOnly) {
        return "{\"items\":["
                + items
                + "],\"total\":"
                + total
                + ",\"offset\":"
                + params.offset()
                + ",\"limit\":"
                + params.limit()
                + (searchedOnly == null ? "" : ",\"searchedOnly\":" + searchedOnly)
                + "}";
    }

    /** One incident; {@code personalData} tells whether the reader saw it (then it is audited). */
    record Detail(JsonObject incident, boolean personalData) {
        long version() {
            return incident.getLong("version");
        }
    }

    /** The incident's document, if it exists (404) and the reader may see it (403). */
    ObjectNode readable(Reader reader, String incidentId) {
        ObjectNode doc =
                live.incident(incidentId)
                        .map(Documents::parse)
                        .orElseThrow(() -> ApiException.notFound("no incident " + incidentId));
        if (!reader.canSeeIncident(departments(doc))) {
            throw AccessDenied.forbidden(
                    "incident "
                            + incidentId
                            + " does not involve department "
                            + reader.restrictedToDepartment());
        }
        return doc;
    }

    Detail get(Reader reader, String incidentId) {
        ObjectNode doc = readable(reader, incidentId);
        boolean personal = reader.seesPersonalData(departments(doc)) && hasPersonalData(doc);
        JsonObject shown = personal ? new JsonObject(doc.toString()) : masked(doc);
        shown.put("escalations", escalationsOf(incidentId));
        JsonArray actions = new JsonArray();
        live.audit(incidentId, 200).forEach(a -> actions.add(new JsonObject(a)));
        shown.put("actions", actions); // the incident's timeline of changes, newest first
        return new Detail(shown, personal);
    }

    /** The audit trail, newest first: administrators only. */
    JsonObject audit(Reader reader, String incidentId, int limit) {
        if (reader.role() != Role.admin) {
            throw AccessDenied.forbidden("the audit trail is for administrators");
        }
        JsonArray items = new JsonArray();
        live.audit(incidentId, limit).forEach(a -> items.add(new JsonObject(a)));
        return new JsonObject().put("items", items);
    }

    /** The incident's current version, or 0 when the live view does not have it. */
    long version(String incidentId) {
        return live.incident(incidentId)
                .map(d -> Documents.parse(d).path("version").asLong())
                .orElse(0L);
    }

    /**
     * A department's open tasks, most urgent first: severity (highest first), then the task's next
     * deadline (soonest first; none last), then the oldest order.
     */
    JsonObject queue(Reader reader, String department, int limit, Instant now) {
        boolean own = department.equals(reader.restrictedToDepartment());
        if (!own && reader.role() != Role.operator && reader.role() != Role.leader) {
            throw AccessDenied.forbidden(
                    "the " + department + " queue is for its own staff, operators and leaders");
        }
        IncidentPage candidates =
                live.incidents(new IncidentQuery(null, null, null, department, 0, SEARCH_CAP));
        List<ObjectNode> entries = new ArrayList<>();
        for (String d : candidates.documents()) {
            ObjectNode doc = Documents.parse(d);
            if (OVER.contains(doc.path("status").asText())) {
                continue;
            }
            for (JsonNode task : doc.withArray("tasks")) {
                if (task.path("department").asText().equals(department)
                        && OPEN_TASK.contains(task.path("status").asText())) {
                    entries.add(entry(doc, task, now));
                }
            }
        }
        entries.sort(
                Comparator.comparingInt((ObjectNode e) -> -e.path("severity").asInt())
                        .thenComparing(e -> e.path("task").path("dueAt").asText("~"))
                        .thenComparing(e -> e.path("task").path("orderedAt").asText()));
        JsonArray items = new JsonArray();
        entries.stream().limit(limit).forEach(e -> items.add(new JsonObject(e.toString())));
        return new JsonObject()
                .put("department", department)
                .put("items", items)
                .put("total", entries.size());
    }

    private static ObjectNode entry(ObjectNode doc, JsonNode task, Instant now) {
        ObjectNode e = Documents.JSON.createObjectNode();
        e.put("incidentId", doc.path("incidentId").asText())
                .put("title", doc.path("title").asText())
                .put("category", doc.path("category").asText())
                .put("severity", doc.path("severity").asInt())
                .put("status", doc.path("status").asText())
                .put("district", doc.path("location").path("district").asText(null))
                .put("version", doc.path("version").asLong());
        e.set("task", task.deepCopy());
        String due = task.path("dueAt").asText(null);
        e.put("overdue", due != null && Instant.parse(due).isBefore(now));
        return e;
    }

    /** How many audit entries per incident the live view keeps (the rest are on audit.log). */
    static final int AUDIT_KEPT_PER_INCIDENT = 200;

    /**
     * After-action review: everything that happened to an incident, oldest first — its reports,
     * each department's order and phases, every action and refusal with who and why (the audit
     * trail), escalations, merges and links, its end. No personal data. {@code complete} is false
     * when the live view no longer holds the oldest audit entries (audit.log does).
     */
    JsonObject timeline(Reader reader, String incidentId) {
        ObjectNode doc = readable(reader, incidentId);
        List<JsonObject> entries = new ArrayList<>();
        for (JsonNode report : doc.withArray("reports")) {
            entries.add(
                    entry(
                            report.path("reportedAt").asText(),
                            "report",
                            report.path("feed").asText()
                                    + " report "
                                    + report.path("sourceId").asText()
                                    + ": "
                                    + report.path("originalCategory").asText(""),
                            null,
                            report.path("department").asText(null)));
        }
        String[][] phases = {
            {"orderedAt", "ordered"},
            {"acknowledgedAt", "acknowledged"},
            {"enRouteAt", "en route"},
            {"onSceneAt", "on scene"},
            {"resolvedAt", "resolved"}
        };
        for (JsonNode task : doc.withArray("tasks")) {
            String department = task.path("department").asText();
            for (String[] phase : phases) {
                if (task.path(phase[0]).isTextual()) {
                    entries.add(
                            entry(
                                    task.path(phase[0]).asText(),
                                    "phase",
                                    department
                                            + " "
                                            + phase[1]
                                            + ("resolvedAt".equals(phase[0])
                                                            && task.path("disposition").isTextual()
                                                    ? ": " + task.path("disposition").asText()
                                                    : ""),
                                    null,
                                    department));
                }
            }
        }
        List<String> audit = live.audit(incidentId, AUDIT_KEPT_PER_INCIDENT);
        for (String a : audit) {
            JsonObject record = new JsonObject(a);
            String reason = record.getString("reason");
            entries.add(
                    entry(
                            record.getValue("at").toString(),
                            "REFUSED".equals(record.getString("outcome")) ? "refused" : "action",
                            record.getString("action") + (reason == null ? "" : ": " + reason),
                            record.getString("actor"),
                            null));
        }
        for (Object e : escalationsOf(incidentId)) {
            JsonObject escalation = (JsonObject) e;
            entries.add(
                    entry(
                            escalation.getValue("at").toString(),
                            "escalation",
                            escalation.getString("message"),
                            null,
                            escalation.getString("department")));
        }
        for (JsonNode link : doc.withArray("links")) {
            entries.add(
                    entry(
                            link.path("at").asText(),
                            "link",
                            link.path("kind").asText()
                                    + " "
                                    + link.path("incidentId").asText()
                                    + (link.path("reason").isTextual()
                                            ? ": " + link.path("reason").asText()
                                            : ""),
                            null,
                            null));
        }
        if (doc.path("closedAt").isTextual()) {
            entries.add(entry(doc.path("closedAt").asText(), "closed", "closed", null, null));
        }
        entries.sort(Comparator.comparing((JsonObject e) -> Instant.parse(e.getString("at"))));
        return new JsonObject()
                .put("incidentId", incidentId)
                .put("version", doc.path("version").asLong())
                .put("status", doc.path("status").asText())
                .put("complete", audit.size() < AUDIT_KEPT_PER_INCIDENT)
                .put("entries", new JsonArray(new ArrayList<>(entries)));
    }

    private static JsonObject entry(
            String at, String kind, String text, String actor, String department) {
        JsonObject entry = new JsonObject().put("at", at).put("kind", kind).put("text", text);
        if (actor != null) {
            entry.put("actor", actor);
        }
        if (department != null) {
            entry.put("department", department);
        }
        return entry;
    }

    private JsonArray escalationsOf(String incidentId) {
        JsonArray mine = new JsonArray();
        String needle = "\"incidentId\":\"" + incidentId + "\"";
        for (String doc : live.escalations(500)) {
            if (doc.contains(needle)) { // parse only the incident's own
                mine.add(new JsonObject(doc));
            }
        }
        return mine;
    }

    private IncidentQuery query(Reader reader, IncidentListParams p, int offset, int limit) {
        return new IncidentQuery(
                p.status(),
                p.department(),
                p.district(),
                reader.restrictedToDepartment(),
                offset,
                limit);
    }

    private static JsonObject masked(ObjectNode doc) {
        return new JsonObject(Documents.maskIncident(doc).toString());
    }

    private static boolean hasPersonalData(ObjectNode doc) {
        for (JsonNode report : doc.withArray("reports")) {
            JsonNode personal = report.get("personalData");
            if (personal != null && personal.isObject() && !personal.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static List<String> departments(ObjectNode doc) {
        return Documents.involved(doc);
    }
}
