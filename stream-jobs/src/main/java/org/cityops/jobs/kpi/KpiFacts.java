package org.cityops.jobs.kpi;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.cityops.schemas.IncidentStatus;
import org.cityops.schemas.city.Escalation;
import org.cityops.schemas.city.EscalationLevel;
import org.cityops.schemas.city.Incident;
import org.cityops.schemas.city.Task;

/**
 * The lifecycle facts a change of an incident produces, for the city, each tasked department and
 * the incident's district. Durations run from the incident's first report (when the city heard of
 * it) to the moment each phase was first reached, in event time, so a replay at any speed gives the
 * same KPIs. Counted per fused incident. Plain Java.
 */
public final class KpiFacts {

    private KpiFacts() {}

    /**
     * The facts of one change from {@code before} (null for a new incident) to {@code after};
     * {@code escalated}: some deadline of this incident was missed, so closing it is not on time.
     */
    public static List<KpiFact> of(Incident before, Incident after, boolean escalated) {
        List<KpiFact> facts = new ArrayList<>();
        Instant received = after.getFirstReportAt();
        String day = day(received);
        List<String> incidentGroups = incidentGroups(after);
        // opened once per group: the city and district when the incident appears, a department
        // when it first reports or is tasked (a supporting department joins later)
        List<String> earlier = before == null ? List.of() : incidentGroups(before);
        for (String g : incidentGroups) {
            if (!earlier.contains(g) && (before == null || g.startsWith("department:"))) {
                facts.add(
                        new KpiFact(g, day, "opened", 1)
                                .happenedAt(before == null ? received : after.getUpdatedAt()));
            }
        }
        for (Task task : after.getTasks()) {
            Task old = before == null ? null : find(before, task);
            List<String> groups =
                    List.of("city", "department:" + task.getDepartment().name(), district(after));
            if (old == null) {
                phase(facts, groups, day, "dispatch", received, task.getOrderedAt());
            }
            if (task.getAcknowledgedAt() != null
                    && (old == null || old.getAcknowledgedAt() == null)) {
                phase(facts, groups, day, "acknowledge", received, task.getAcknowledgedAt());
            }
            if (task.getEnRouteAt() != null && (old == null || old.getEnRouteAt() == null)) {
                phase(facts, groups, day, "enRoute", received, task.getEnRouteAt());
            }
            if (task.getOnSceneAt() != null && (old == null || old.getOnSceneAt() == null)) {
                phase(facts, groups, day, "onScene", received, task.getOnSceneAt());
            }
            if (task.getResolvedAt() != null && (old == null || old.getResolvedAt() == null)) {
                phase(facts, groups, day, "resolve", received, task.getResolvedAt());
            }
        }
        boolean nowClosed =
                after.getStatus() == IncidentStatus.CLOSED
                        && (before == null || before.getStatus() != IncidentStatus.CLOSED);
        if (nowClosed && after.getClosedAt() != null) {
            for (String g : incidentGroups) {
                facts.add(new KpiFact(g, day, "closed", 1).happenedAt(after.getClosedAt()));
                facts.add(
                        new KpiFact(g, day, "close", seconds(received, after.getClosedAt()))
                                .happenedAt(after.getClosedAt()));
                if (!escalated) {
                    facts.add(
                            new KpiFact(g, day, "closedOnTime", 1).happenedAt(after.getClosedAt()));
                }
            }
        }
        if (before != null && after.getReopenCount() > before.getReopenCount()) {
            incidentGroups.forEach(
                    g ->
                            facts.add(
                                    new KpiFact(g, day, "reopened", 1)
                                            .happenedAt(after.getUpdatedAt())));
        }
        if (after.getSatisfaction() != null
                && (before == null || before.getSatisfaction() == null)) {
            incidentGroups.forEach(
                    g ->
                            facts.add(
                                    new KpiFact(g, day, "satisfaction", after.getSatisfaction())
                                            .happenedAt(after.getUpdatedAt())));
        }
        return facts;
    }

    /**
     * A first escalation of a phase is an SLA breach of the department (and the city, the
     * district).
     */
    public static List<KpiFact> breach(Incident incident, Escalation escalation) {
        List<KpiFact> facts = new ArrayList<>();
        if (escalation.getLevel() != EscalationLevel.DEPARTMENT_SUPERVISOR) {
            return facts; // repeats of one breach are not new breaches
        }
        String day = day(incident.getFirstReportAt());
        for (String g :
                List.of(
                        "city",
                        "department:" + escalation.getDepartment().name(),
                        district(incident))) {
            facts.add(new KpiFact(g, day, "breach", 1).happenedAt(escalation.getAt()));
        }
        return facts;
    }

    private static List<String> incidentGroups(Incident incident) {
        List<String> groups = new ArrayList<>(List.of("city", district(incident)));
        incident.getDepartments().forEach(d -> addOnce(groups, "department:" + d.name()));
        incident.getTasks().forEach(t -> addOnce(groups, "department:" + t.getDepartment().name()));
        return groups;
    }

    private static void addOnce(List<String> groups, String group) {
        if (!groups.contains(group)) {
            groups.add(group);
        }
    }

    private static void phase(
            List<KpiFact> facts,
            List<String> groups,
            String day,
            String phase,
            Instant from,
            Instant to) {
        long s = seconds(from, to);
        groups.forEach(g -> facts.add(new KpiFact(g, day, phase, s).happenedAt(to)));
    }

    private static long seconds(Instant from, Instant to) {
        return Math.max(0, (to.toEpochMilli() - from.toEpochMilli()) / 1000);
    }

    private static String district(Incident incident) {
        String d = incident.getLocation().getDistrict();
        return "district:" + (d == null ? "unknown" : d);
    }

    private static Task find(Incident incident, Task task) {
        return incident.getTasks().stream()
                .filter(t -> t.getDepartment() == task.getDepartment())
                .findFirst()
                .orElse(null);
    }

    static String day(Instant at) {
        return at.atZone(ZoneOffset.UTC).toLocalDate().toString();
    }
}
