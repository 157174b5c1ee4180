package org.cityops.jobs.fusion;

import org.cityops.schemas.city.CityEvent;

/**
 * What fusion decided for one incident; the incident operator (keyed by incident id) applies these
 * in order. Exactly one kind of payload is set per kind.
 */
public class IncidentChange {

    /** A report joins the incident, or its new version (UPDATE, CANCEL) replaces the old one. */
    public static final String REPORT = "REPORT";

    /** A report leaves the incident (merged or split away). */
    public static final String REMOVE_REPORT = "REMOVE_REPORT";

    /** A relation to another incident ({@code linkKind} as in the Incident schema's LinkKind). */
    public static final String LINK = "LINK";

    /** The incident was merged into {@code otherIncidentId}. */
    public static final String MERGED = "MERGED";

    /** A department's or the command centre's action on the incident (lifecycle). */
    public static final String ACTION = "ACTION";

    /** A detection rule fired on this incident: {@code alertId}, and a severity floor (0: none). */
    public static final String ALERT = "ALERT";

    public String incidentId;
    public String kind;
    public CityEvent event;
    public String eventId;
    public String otherIncidentId;
    public String linkKind;
    public String reason;
    public String alertId;
    public int severity;

    /** ACTION: the lifecycle action, whose task, who acted. */
    public String action;

    public String department;
    public String transferTo;
    public String disposition;
    public String actor;
    public int extendBySeconds;
    public int score;
    public String actorRole;

    /**
     * ACTION from a department's own dispatch system about one of its units ({@code unit}), on the
     * report {@code eventId}: a fact that never goes back, rather than a request.
     */
    public boolean unitStatus;

    public String unit;

    /** Event time of the change, for links and merges: when it was decided. */
    public long time;

    public IncidentChange() {}

    public static IncidentChange report(String incidentId, CityEvent event) {
        IncidentChange c = of(incidentId, REPORT, event.getEventTime().toEpochMilli());
        c.event = event;
        c.eventId = event.getEventId();
        return c;
    }

    public static IncidentChange removeReport(String incidentId, String eventId, long time) {
        IncidentChange c = of(incidentId, REMOVE_REPORT, time);
        c.eventId = eventId;
        return c;
    }

    public static IncidentChange link(
            String incidentId, String linkKind, String other, long time, String reason) {
        IncidentChange c = of(incidentId, LINK, time);
        c.linkKind = linkKind;
        c.otherIncidentId = other;
        c.reason = reason;
        return c;
    }

    public static IncidentChange merged(String incidentId, String into, long time, String reason) {
        IncidentChange c = of(incidentId, MERGED, time);
        c.otherIncidentId = into;
        c.reason = reason;
        return c;
    }

    public static IncidentChange alert(
            String incidentId, String alertId, int severityFloor, long time) {
        IncidentChange c = of(incidentId, ALERT, time);
        c.alertId = alertId;
        c.severity = severityFloor;
        return c;
    }

    public static IncidentChange action(org.cityops.schemas.city.FeedbackCommand command) {
        IncidentChange c = of(command.getIncidentId(), ACTION, command.getAt().toEpochMilli());
        c.action = command.getKind().name();
        c.department = command.getDepartment() == null ? null : command.getDepartment().name();
        c.transferTo = command.getTransferTo() == null ? null : command.getTransferTo().name();
        c.disposition = command.getDisposition();
        c.reason = command.getReason();
        c.actor = command.getActor();
        c.extendBySeconds = command.getExtendBySeconds() == null ? 0 : command.getExtendBySeconds();
        c.score = command.getScore() == null ? 0 : command.getScore();
        c.actorRole = command.getActorRole();
        return c;
    }

    /** A unit status addressed to a report, now that fusion knows the report's incident. */
    public static IncidentChange unitStatus(
            String incidentId, String eventId, org.cityops.schemas.city.FeedbackCommand command) {
        IncidentChange c = action(command);
        c.incidentId = incidentId;
        c.eventId = eventId;
        c.unitStatus = true;
        c.unit = command.getUnit();
        return c;
    }

    private static IncidentChange of(String incidentId, String kind, long time) {
        IncidentChange c = new IncidentChange();
        c.incidentId = incidentId;
        c.kind = kind;
        c.time = time;
        return c;
    }

    @Override
    public String toString() {
        return kind
                + "("
                + incidentId
                + (eventId != null ? ", " + eventId : "")
                + (otherIncidentId != null ? ", " + linkKind + " " + otherIncidentId : "")
                + ")";
    }
}
