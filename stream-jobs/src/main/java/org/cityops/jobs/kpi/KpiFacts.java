package org.cityops.jobs.kpi;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.cityops.jobs.lifecycle.IncidentLifecycle;
import org.cityops.schemas.IncidentStatus;
import org.cityops.schemas.TaskStatus;
import org.cityops.schemas.city.Escalation;
import org.cityops.schemas.city.EscalationLevel;
import org.cityops.schemas.city.Incident;
import org.cityops.schemas.city.Task;

/**
 * The lifecycle facts a change of an incident produces, for the city, each tasked department and
 * the incident's district. Durations run from the incident's first report (when the city heard of
 * it) to the earliest moment each phase was reached, in event time, so a replay at any speed — and
 * in any order the job happens to see reports and unit statuses — gives the same KPIs. Counted per
 * fused incident. Plain Java.
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
        phases(before, after, facts);
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
     * Phase durations as the difference of two states: each (group, phase) an incident counts is a
     * pure function of its state ({@link #reached}), so a phase reached earlier than known (a unit
     * reporting late), an earlier first report (reports fused out of order) or a district that
     * changed replaces, moves or withdraws what was counted before — exactly once per incident.
     */
    private static void phases(Incident before, Incident after, List<KpiFact> facts) {
        Map<String, Instant> was = before == null ? Map.of() : reached(before);
        Map<String, Instant> now = reached(after);
        Instant oldFrom = before == null ? null : before.getFirstReportAt();
        Instant newFrom = after.getFirstReportAt();
        String newDay = day(newFrom);
        Set<String> keys = new LinkedHashSet<>(now.keySet());
        keys.addAll(was.keySet());
        for (String key : keys) {
            int bar = key.indexOf('|');
            String group = key.substring(0, bar);
            String phase = key.substring(bar + 1);
            Instant old = was.get(key);
            Instant reached = now.get(key);
            if (old == null) {
                facts.add(
                        new KpiFact(group, newDay, phase, seconds(newFrom, reached))
                                .happenedAt(reached));
                continue;
            }
            long oldSeconds = seconds(oldFrom, old);
            String oldDay = day(oldFrom);
            if (reached == null || !oldDay.equals(newDay)) {
                facts.add(
                        new KpiFact(group, oldDay, phase, oldSeconds).retracting().happenedAt(old));
                if (reached != null) {
                    facts.add(
                            new KpiFact(group, newDay, phase, seconds(newFrom, reached))
                                    .happenedAt(reached));
                }
                continue;
            }
            long newSeconds = seconds(newFrom, reached);
            if (newSeconds != oldSeconds) {
                // a correction lives in the live window as long as the fact it corrects
                facts.add(
                        new KpiFact(group, newDay, phase, newSeconds)
                                .replacing(oldSeconds)
                                .happenedAt(old));
            }
        }
    }

    /**
     * What an incident counts, as "group|phase" → when the phase was reached. A department counts
     * its own task: first ordered (dispatch), the earliest time each phase was reported, resolved.
     * The city and the district count the incident once: its first order and the first of its tasks
     * to reach each phase; resolved when all its active tasks are, at the last of them.
     */
    static Map<String, Instant> reached(Incident incident) {
        Map<String, Instant> reached = new LinkedHashMap<>();
        for (Task task : incident.getTasks()) {
            String g = "department:" + task.getDepartment().name();
            put(reached, g, "dispatch", IncidentLifecycle.firstOrdered(task));
            put(reached, g, "acknowledge", task.getAcknowledgedAt());
            put(reached, g, "enRoute", task.getEnRouteAt());
            put(reached, g, "onScene", task.getOnSceneAt());
            put(reached, g, "resolve", task.getResolvedAt());
        }
        List<Task> active =
                incident.getTasks().stream()
                        .filter(
                                t ->
                                        t.getStatus() != TaskStatus.TRANSFERRED
                                                && t.getStatus() != TaskStatus.REJECTED)
                        .toList();
        Instant resolved =
                !active.isEmpty() && active.stream().allMatch(t -> t.getResolvedAt() != null)
                        ? active.stream()
                                .map(Task::getResolvedAt)
                                .max(Comparator.naturalOrder())
                                .orElseThrow()
                        : null;
        for (String g : List.of("city", district(incident))) {
            put(reached, g, "dispatch", earliest(incident, IncidentLifecycle::firstOrdered));
            put(reached, g, "acknowledge", earliest(incident, Task::getAcknowledgedAt));
            put(reached, g, "enRoute", earliest(incident, Task::getEnRouteAt));
            put(reached, g, "onScene", earliest(incident, Task::getOnSceneAt));
            put(reached, g, "resolve", resolved);
        }
        return reached;
    }

    private static void put(Map<String, Instant> reached, String group, String phase, Instant at) {
        if (at != null) {
            reached.put(group + "|" + phase, at);
        }
    }

    /** The earliest time any task of the incident reached a phase; null when none did. */
    private static Instant earliest(Incident incident, Function<Task, Instant> stamp) {
        return incident.getTasks().stream()
                .map(stamp)
                .filter(Objects::nonNull)
                .min(Comparator.naturalOrder())
                .orElse(null);
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
