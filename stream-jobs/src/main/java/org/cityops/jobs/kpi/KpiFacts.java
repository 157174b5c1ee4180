package org.cityops.jobs.kpi;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
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
        // a department's phases from its own task; the city's and the district's from the
        // incident: the first of its tasks to reach each phase (counted per fused incident)
        for (Task task : after.getTasks()) {
            Task old = before == null ? null : find(before, task);
            List<String> department = List.of("department:" + task.getDepartment().name());
            if (old == null) {
                phase(facts, department, day, "dispatch", received, null, task.getOrderedAt());
            }
            for (Phase p : TASK_PHASES) {
                phase(
                        facts,
                        department,
                        day,
                        p.name,
                        received,
                        old == null ? null : p.of(old),
                        p.of(task));
            }
        }
        List<String> incidentWide = List.of("city", district(after));
        Instant firstOrdered = earliest(after, Task::getOrderedAt);
        if (before == null || earliest(before, Task::getOrderedAt) == null) {
            phase(facts, incidentWide, day, "dispatch", received, null, firstOrdered);
        }
        for (Phase p : TASK_PHASES) {
            if (p.departmentOnly()) {
                continue; // the incident is resolved when all its tasks are: below
            }
            phase(
                    facts,
                    incidentWide,
                    day,
                    p.name,
                    received,
                    before == null ? null : earliest(before, p.stamp),
                    earliest(after, p.stamp));
        }
        if (after.getStatus() == IncidentStatus.RESOLVED
                && after.getReopenCount() == 0
                && (before == null || before.getStatus() != IncidentStatus.RESOLVED)) {
            phase(facts, incidentWide, day, "resolve", received, null, after.getUpdatedAt());
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

    /**
     * The phases a task stamps. A department's resolve is its own task's; the incident's is when
     * all its tasks were.
     */
    private record Phase(String name, Function<Task, Instant> stamp, boolean departmentOnly) {
        Instant of(Task task) {
            return stamp.apply(task);
        }
    }

    private static final List<Phase> TASK_PHASES =
            List.of(
                    new Phase("acknowledge", Task::getAcknowledgedAt, false),
                    new Phase("enRoute", Task::getEnRouteAt, false),
                    new Phase("onScene", Task::getOnSceneAt, false),
                    new Phase("resolve", Task::getResolvedAt, true));

    /** The earliest time any task of the incident reached a phase; null when none did. */
    private static Instant earliest(Incident incident, Function<Task, Instant> stamp) {
        return incident.getTasks().stream()
                .map(stamp)
                .filter(Objects::nonNull)
                .min(Comparator.naturalOrder())
                .orElse(null);
    }

    /**
     * A phase reached (old null) or reached earlier than known (a unit reported late): the fact,
     * replacing the duration counted before.
     */
    private static void phase(
            List<KpiFact> facts,
            List<String> groups,
            String day,
            String phase,
            Instant from,
            Instant old,
            Instant now) {
        if (now == null || now.equals(old)) {
            return;
        }
        long s = seconds(from, now);
        Long replaces = old == null ? null : seconds(from, old);
        // a correction lives in the live window as long as the fact it corrects
        Instant at = old == null ? now : old;
        groups.forEach(
                g -> facts.add(new KpiFact(g, day, phase, s).replacing(replaces).happenedAt(at)));
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
