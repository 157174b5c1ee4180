package org.cityops.jobs.lifecycle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cityops.schemas.Department;
import org.cityops.schemas.IncidentStatus;
import org.cityops.schemas.TaskStatus;
import org.cityops.schemas.city.Escalation;
import org.cityops.schemas.city.EscalationLevel;
import org.cityops.schemas.city.Incident;
import org.cityops.schemas.city.Task;

/**
 * SLA deadlines of an incident and their escalation. Plain Java. Each active task has one deadline
 * at a time — to acknowledge, to be on scene, to resolve — counted from its order plus any
 * extension (延期); a resolved incident must be closed in time. A missed deadline escalates to the
 * department supervisor, then, while it stays unhandled, to the command centre and the city leader
 * (and the leader again), one step per phase duration (at least a minute).
 */
public final class SlaWatch {

    static final long MIN_REPEAT_MILLIS = 60_000;

    /** A deadline of the incident: whose, which phase, when, and how long the phase is. */
    public record Due(
            Department department,
            String phase,
            long deadline,
            long phaseMillis,
            TaskStatus taskStatus) {}

    private final SlaPolicy policy;

    public SlaWatch(SlaPolicy policy) {
        this.policy = policy;
    }

    public List<Due> deadlines(Incident incident) {
        List<Due> due = new ArrayList<>();
        if (IncidentLifecycle.ENDED.contains(incident.getStatus())) {
            return due;
        }
        if (incident.getStatus() == IncidentStatus.RESOLVED) {
            Department lead =
                    incident.getTasks().stream()
                            .filter(Task::getLead)
                            .map(Task::getDepartment)
                            .findFirst()
                            .orElse(Department.unknown);
            long closeMillis = policy.closeSeconds() * 1000;
            due.add(
                    new Due(
                            lead,
                            "close",
                            incident.getUpdatedAt().toEpochMilli() + closeMillis,
                            closeMillis,
                            TaskStatus.RESOLVED));
            return due;
        }
        for (Task task : incident.getTasks()) {
            SlaPolicy.Deadlines d = policy.deadlines(task.getDepartment(), incident.getSeverity());
            long seconds;
            String phase;
            switch (task.getStatus()) {
                case ORDERED -> {
                    phase = "acknowledge";
                    seconds = d.acknowledge();
                }
                case ACKNOWLEDGED, EN_ROUTE -> {
                    phase = "onScene";
                    seconds = d.onScene();
                }
                case ON_SCENE -> {
                    phase = "resolve";
                    seconds = d.resolve();
                }
                default -> {
                    continue;
                }
            }
            long deadline =
                    task.getOrderedAt().toEpochMilli()
                            + (seconds + task.getExtendedBySeconds()) * 1000;
            due.add(
                    new Due(
                            task.getDepartment(),
                            phase,
                            deadline,
                            seconds * 1000,
                            task.getStatus()));
        }
        return due;
    }

    /**
     * The incident with each task's next deadline written on it ({@code dueAt}, {@code duePhase}),
     * so a department's queue can be ordered by it without knowing the policy.
     */
    public Incident withDeadlines(Incident incident) {
        List<Due> due = deadlines(incident);
        List<Task> tasks = new ArrayList<>();
        for (Task task : incident.getTasks()) {
            Due next =
                    due.stream()
                            .filter(
                                    d ->
                                            d.department() == task.getDepartment()
                                                    && !d.phase().equals("close"))
                            .min(java.util.Comparator.comparingLong(Due::deadline))
                            .orElse(null);
            tasks.add(
                    Task.newBuilder(task)
                            .setDueAt(
                                    next == null
                                            ? null
                                            : java.time.Instant.ofEpochMilli(next.deadline()))
                            .setDuePhase(next == null ? null : next.phase())
                            .build());
        }
        return Incident.newBuilder(incident).setTasks(tasks).build();
    }

    /** Escalations due at {@code now} (event time); records them in {@code marks}. */
    public List<Escalation> check(Incident incident, EscalationMarks marks, long now) {
        List<Escalation> raised = new ArrayList<>();
        for (Due due : deadlines(incident)) {
            if (now < due.deadline()) {
                continue;
            }
            EscalationMarks.Mark mark = marks.find(due.department().name(), due.phase());
            int level;
            if (mark == null) {
                level = 1;
                mark = new EscalationMarks.Mark(due.department().name(), due.phase(), level, now);
                marks.marks.add(mark);
            } else if (now >= mark.at + repeat(due)) {
                level = Math.min(3, mark.level + 1);
                mark.level = level;
                mark.at = now;
            } else {
                continue;
            }
            raised.add(escalation(incident, due, level, now));
        }
        return raised;
    }

    /** When a resolved incident is verified automatically, or Long.MAX_VALUE. */
    public long autoVerifyAt(Incident incident) {
        return incident.getStatus() == IncidentStatus.RESOLVED
                ? incident.getUpdatedAt().toEpochMilli() + policy.autoVerifySeconds() * 1000
                : Long.MAX_VALUE;
    }

    /** An incident no department holds any more goes straight to the command centre. */
    public static Escalation unassigned(Incident incident, long now) {
        return Escalation.newBuilder()
                .setEscalationId(incident.getIncidentId() + "/unassigned/" + now)
                .setIncidentId(incident.getIncidentId())
                .setDepartment(Department.unknown)
                .setPhase("assign")
                .setLevel(EscalationLevel.COMMAND_CENTRE)
                .setDeadline(Instant.ofEpochMilli(now))
                .setAt(Instant.ofEpochMilli(now))
                .setTaskStatus(TaskStatus.REJECTED)
                .setTitle(incident.getTitle())
                .setSeverity(incident.getSeverity())
                .setMessage(
                        "no department holds "
                                + incident.getIncidentId()
                                + " any more: the command centre must assign it")
                .build();
    }

    /** When the next deadline or repeat falls, or Long.MAX_VALUE when nothing is pending. */
    public long next(Incident incident, EscalationMarks marks) {
        long next = autoVerifyAt(incident);
        for (Due due : deadlines(incident)) {
            EscalationMarks.Mark mark = marks.find(due.department().name(), due.phase());
            next = Math.min(next, mark == null ? due.deadline() : mark.at + repeat(due));
        }
        return next;
    }

    private static long repeat(Due due) {
        return Math.max(MIN_REPEAT_MILLIS, due.phaseMillis());
    }

    private static Escalation escalation(Incident incident, Due due, int level, long now) {
        EscalationLevel to =
                switch (level) {
                    case 1 -> EscalationLevel.DEPARTMENT_SUPERVISOR;
                    case 2 -> EscalationLevel.COMMAND_CENTRE;
                    default -> EscalationLevel.CITY_LEADER;
                };
        long lateMinutes = Math.max(0, (now - due.deadline()) / 60_000);
        return Escalation.newBuilder()
                .setEscalationId(
                        incident.getIncidentId()
                                + "/"
                                + due.department()
                                + "/"
                                + due.phase()
                                + "/"
                                + now)
                .setIncidentId(incident.getIncidentId())
                .setDepartment(due.department())
                .setPhase(due.phase())
                .setLevel(to)
                .setDeadline(Instant.ofEpochMilli(due.deadline()))
                .setAt(Instant.ofEpochMilli(now))
                .setTaskStatus(due.taskStatus())
                .setTitle(incident.getTitle())
                .setSeverity(incident.getSeverity())
                .setMessage(
                        due.department()
                                + " missed the "
                                + due.phase()
                                + " deadline of "
                                + incident.getIncidentId()
                                + (lateMinutes > 0 ? " (" + lateMinutes + " min late)" : "")
                                + ": told "
                                + to.name().toLowerCase().replace('_', ' '))
                .build();
    }
}
