package org.cityops.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
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

    /** The city's time: the system clock, or the replayed event time in a demo. */
    private final Clock cityClock;

    IncidentCommands(LiveView live, Clock cityClock) {
        this.cityClock = cityClock;
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

    static final java.util.Map<String, CommandKind> TASK_ACTIONS =
            java.util.Map.of(
                    "acknowledge",
                    CommandKind.ACKNOWLEDGE,
                    "en-route",
                    CommandKind.EN_ROUTE,
                    "on-scene",
                    CommandKind.ON_SCENE,
                    "resolve",
                    CommandKind.RESOLVE,
                    "transfer",
                    CommandKind.TRANSFER,
                    "reject",
                    CommandKind.REJECT,
                    "extend",
                    CommandKind.EXTEND);

    /** A department's action on its task: its own dispatchers and supervisors, or an operator. */
    FeedbackCommand taskAction(
            Reader reader,
            String incidentId,
            String departmentName,
            String actionName,
            JsonObject body) {
        CommandKind kind = TASK_ACTIONS.get(actionName);
        if (kind == null) {
            throw ApiException.notFound(
                    "no task action '"
                            + actionName
                            + "': acknowledge, en-route, on-scene, resolve, transfer or reject");
        }
        org.cityops.schemas.Department department =
                org.cityops.access.Tokens.department(departmentName)
                        .orElseThrow(
                                () -> ApiException.notFound("no department " + departmentName));
        if (reader.role() != Role.operator && !department.equals(reader.department())) {
            throw AccessDenied.forbidden(
                    "a "
                            + reader.role()
                            + (reader.department() == null ? "" : " of " + reader.department())
                            + " may not act on the "
                            + department
                            + " task");
        }
        ObjectNode incident =
                live.incident(incidentId)
                        .map(Documents::parse)
                        .orElseThrow(() -> ApiException.notFound("no incident " + incidentId));
        JsonNode task = null;
        for (JsonNode t : incident.withArray("tasks")) {
            if (t.path("department").asText().equals(department.name())) {
                task = t;
            }
        }
        if (task == null) {
            throw ApiException.notFound(incidentId + " has no task for " + department);
        }
        if (kind == CommandKind.EXTEND) {
            Integer seconds = body == null ? null : body.getInteger("seconds");
            String why = body == null ? null : body.getString("reason");
            if (seconds == null || seconds < 60 || seconds > 86_400) {
                throw ApiException.badRequest("seconds", "seconds must be between 60 and 86400");
            }
            if (why == null || why.isBlank()) {
                throw ApiException.badRequest("reason", "extend needs a reason");
            }
            String status = task.path("status").asText();
            if (status.equals("RESOLVED")
                    || status.equals("TRANSFERRED")
                    || status.equals("REJECTED")) {
                throw ApiException.conflict(
                        department
                                + "'s task on "
                                + incidentId
                                + " is "
                                + status
                                + ": it has no deadline to extend");
            }
            return command(reader, kind, incidentId, body)
                    .setDepartment(department)
                    .setExtendBySeconds(seconds)
                    .build();
        }
        org.cityops.schemas.TaskStatus from =
                org.cityops.schemas.TaskStatus.valueOf(task.path("status").asText());
        org.cityops.schemas.TaskStatus to =
                org.cityops.schemas.lifecycle.TaskTransitions.target(kind.name());
        if (!org.cityops.schemas.lifecycle.TaskTransitions.allowed(from, to)) {
            throw ApiException.conflict(
                    department
                            + "'s task on "
                            + incidentId
                            + " is "
                            + from
                            + ": it cannot become "
                            + to);
        }
        String reason = body == null ? null : body.getString("reason");
        String disposition = body == null ? null : body.getString("disposition");
        if ((kind == CommandKind.TRANSFER || kind == CommandKind.REJECT)
                && (reason == null || reason.isBlank())) {
            throw ApiException.badRequest("reason", actionName + " needs a reason");
        }
        if (kind == CommandKind.RESOLVE && (disposition == null || disposition.isBlank())) {
            throw ApiException.badRequest(
                    "disposition", "resolve needs a disposition: what was done");
        }
        FeedbackCommand.Builder command =
                command(reader, kind, incidentId, body)
                        .setDepartment(department)
                        .setDisposition(disposition);
        if (kind == CommandKind.TRANSFER) {
            String target = body.getString("transferTo");
            org.cityops.schemas.Department to2 =
                    org.cityops.access.Tokens.department(target)
                            .orElseThrow(
                                    () ->
                                            ApiException.badRequest(
                                                    "transferTo",
                                                    "transferTo must be police, fire, medical or traffic"));
            if (to2 == department) {
                throw ApiException.badRequest(
                        "transferTo", "a task cannot be transferred to its own department");
            }
            command.setTransferTo(to2);
        }
        return command.build();
    }

    /** The command centre's verify, reopen and cancel. */
    FeedbackCommand incidentAction(
            Reader reader, String incidentId, CommandKind kind, JsonObject body) {
        requireOperator(reader, kind.name().toLowerCase(java.util.Locale.ROOT) + " incidents");
        ObjectNode incident =
                live.incident(incidentId)
                        .map(Documents::parse)
                        .orElseThrow(() -> ApiException.notFound("no incident " + incidentId));
        String status = incident.path("status").asText();
        boolean allowed =
                switch (kind) {
                    case VERIFY -> status.equals("RESOLVED");
                    case REOPEN -> status.equals("RESOLVED") || status.equals("CLOSED");
                    case CANCEL ->
                            !java.util.Set.of("CLOSED", "CANCELLED", "MERGED").contains(status);
                    case SATISFACTION -> status.equals("CLOSED");
                    default -> false;
                };
        if (!allowed) {
            throw ApiException.conflict(
                    incidentId
                            + " is "
                            + status
                            + ": it cannot be "
                            + switch (kind) {
                                case VERIFY -> "verified (only a RESOLVED incident can)";
                                case REOPEN -> "reopened (only a RESOLVED or CLOSED incident can)";
                                case SATISFACTION ->
                                        "rated (satisfaction is recorded after closing)";
                                default -> "cancelled";
                            });
        }
        if (kind == CommandKind.SATISFACTION) {
            Integer score = body == null ? null : body.getInteger("score");
            if (score == null || score < 1 || score > 5) {
                throw ApiException.badRequest("score", "score must be a whole number from 1 to 5");
            }
            return command(reader, kind, incidentId, body).setScore(score).build();
        }
        return command(reader, kind, incidentId, body).build();
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

    private FeedbackCommand.Builder command(
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
                .setAt(cityClock.instant());
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
