package org.cityops.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.cityops.access.AccessDenied;
import org.cityops.access.Reader;
import org.cityops.access.Role;
import org.cityops.livestate.Documents;
import org.cityops.livestate.LiveView;
import org.cityops.schemas.city.CommandKind;
import org.cityops.schemas.city.FeedbackCommand;

/**
 * Operators' merge and split: checked against the live view (404 unknown, 409 not allowed in the
 * incident's state, 400 a bad request) and turned into a {@link FeedbackCommand}. Blocking reads.
 */
final class IncidentCommands {

    private final LiveView live;

    IncidentCommands(LiveView live) {
        this.live = live;
    }

    FeedbackCommand merge(Reader reader, String incidentId, JsonObject body) {
        requireOperator(reader, "merge incidents");
        String into = text(body, "into");
        if (into.equals(incidentId)) {
            throw ApiException.badRequest("into", "an incident cannot be merged into itself");
        }
        mergeable(incidentId, null);
        mergeable(into, "into");
        return command(reader, CommandKind.MERGE, incidentId, body)
                .setTargetIncidentId(into)
                .build();
    }

    FeedbackCommand split(Reader reader, String incidentId, JsonObject body) {
        requireOperator(reader, "split incidents");
        JsonArray ids = body == null ? null : body.getJsonArray("eventIds");
        if (ids == null || ids.isEmpty()) {
            throw ApiException.badRequest(
                    "eventIds", "eventIds must list the reports that leave the incident");
        }
        ObjectNode incident = mergeable(incidentId, null);
        Set<String> members = new HashSet<>();
        for (JsonNode report : incident.withArray("reports")) {
            members.add(report.get("eventId").asText());
        }
        List<String> leaving = new ArrayList<>();
        for (Object id : ids) {
            if (!(id instanceof String eventId) || !members.contains(eventId)) {
                throw ApiException.badRequest(
                        "eventIds", "not a report of " + incidentId + ": " + id);
            }
            leaving.add(eventId);
        }
        if (new HashSet<>(leaving).size() >= members.size()) {
            throw ApiException.conflict("at least one report must stay in " + incidentId);
        }
        return command(reader, CommandKind.SPLIT, incidentId, body).setEventIds(leaving).build();
    }

    private ObjectNode mergeable(String incidentId, String field) {
        ObjectNode incident = live.incident(incidentId).map(Documents::parse).orElse(null);
        if (incident == null) {
            if (field != null) {
                throw ApiException.badRequest(field, "no incident " + incidentId);
            }
            throw ApiException.notFound("no incident " + incidentId);
        }
        String status = incident.path("status").asText();
        if (status.equals("MERGED")) {
            throw ApiException.conflict(
                    incidentId
                            + " was already merged into "
                            + incident.path("mergedInto").asText());
        }
        return incident;
    }

    private static FeedbackCommand.Builder command(
            Reader reader, CommandKind kind, String incidentId, JsonObject body) {
        String reason = body == null ? null : body.getString("reason");
        if (reason != null && reason.length() > 500) {
            throw ApiException.badRequest("reason", "reason is at most 500 characters");
        }
        return FeedbackCommand.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setKind(kind)
                .setIncidentId(incidentId)
                .setActor(reader.subject())
                .setActorRole(reader.role().name())
                .setActorDepartment(reader.department())
                .setReason(reason)
                .setAt(Instant.now());
    }

    private static void requireOperator(Reader reader, String what) {
        if (reader.role() != Role.operator) {
            throw AccessDenied.forbidden("only command-centre operators may " + what);
        }
    }

    private static String text(JsonObject body, String field) {
        Object value = body == null ? null : body.getValue(field);
        if (!(value instanceof String text) || text.isBlank()) {
            throw ApiException.badRequest(field, field + " is required: the id of an incident");
        }
        return text;
    }
}
