package org.cityops.jobs.lifecycle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.cityops.schemas.Department;
import org.cityops.schemas.IncidentStatus;
import org.cityops.schemas.TaskStatus;
import org.cityops.schemas.city.Incident;
import org.cityops.schemas.city.Task;
import org.cityops.schemas.lifecycle.TaskTransitions;

/**
 * The incident lifecycle as a plain state machine (no Flink): routing on discovery, each
 * department's task through ORDERED → ACKNOWLEDGED → EN_ROUTE → ON_SCENE → RESOLVED (or TRANSFERRED
 * / REJECTED), and the incident's status derived from its tasks: DISPATCHED, IN_PROGRESS, RESOLVED
 * when every active task is, CLOSED only after the command centre verifies. An illegal action is
 * refused with a reason and changes nothing.
 */
public final class IncidentLifecycle {

    static final Set<IncidentStatus> ENDED =
            EnumSet.of(IncidentStatus.CLOSED, IncidentStatus.CANCELLED, IncidentStatus.MERGED);

    /** A new order for a department, to publish on dispatch.orders. */
    public record Order(Department department, boolean lead, String reason) {}

    /**
     * The incident after a step (null when refused), the orders it causes, or why it was refused.
     */
    public record Outcome(
            Incident incident, List<Order> orders, String refusal, boolean unassigned) {
        static Outcome refused(String reason) {
            return new Outcome(null, List.of(), reason, false);
        }

        public boolean refused() {
            return refusal != null;
        }
    }

    private final RoutingTable routing;

    public IncidentLifecycle(RoutingTable routing) {
        this.routing = routing;
    }

    /**
     * Gives every department the incident needs a task: those the routing table names for its
     * category and severity, and every department whose report is in it. Idempotent: departments
     * that have a task (in any state) get none again.
     */
    public Outcome dispatch(Incident incident, Instant now) {
        if (ENDED.contains(incident.getStatus())
                || incident.getStatus() == IncidentStatus.RESOLVED) {
            return new Outcome(incident, List.of(), null, false);
        }
        List<Task> tasks = new ArrayList<>(incident.getTasks());
        List<Order> orders = new ArrayList<>();
        Department lead = routing.route(incident.getCategory()).lead();
        Set<Department> needed =
                routing.departments(incident.getCategory(), incident.getSeverity());
        needed.addAll(incident.getDepartments());
        for (Department department : needed) {
            if (department == Department.unknown
                    || tasks.stream().anyMatch(t -> t.getDepartment() == department)) {
                continue;
            }
            boolean isLead = department == lead && tasks.stream().noneMatch(Task::getLead);
            tasks.add(task(department, isLead, now, null));
            orders.add(
                    new Order(
                            department,
                            isLead,
                            isLead ? "leads " + incident.getCategory() : "supports"));
        }
        if (orders.isEmpty()) {
            return new Outcome(incident, orders, null, false);
        }
        return new Outcome(withTasks(incident, tasks, now), orders, null, false);
    }

    /** A department's or the command centre's action. */
    public Outcome act(
            Incident incident,
            LifecycleAction action,
            Department department,
            Department transferTo,
            String reason,
            String disposition,
            Instant now) {
        if (ENDED.contains(incident.getStatus()) && action != LifecycleAction.REOPEN) {
            return Outcome.refused(
                    incident.getIncidentId()
                            + " is "
                            + incident.getStatus()
                            + ": nothing can be done to it but reopen");
        }
        return action.isTaskAction()
                ? taskAction(incident, action, department, transferTo, reason, disposition, now)
                : incidentAction(incident, action, reason, now);
    }

    /**
     * A unit status from a department's own dispatch system (its CAD): a fact about one of its
     * units, not a request, so it is never refused for arriving out of order. It records when the
     * department first reached the phase (an earlier report replaces a later one) and moves the
     * task forward, never back — a second unit on scene does not undo the first unit's clearing.
     * Returns the incident itself (the same object) when it teaches nothing new; refused only when
     * the department has no task on the incident.
     */
    public Outcome unitStatus(
            Incident incident,
            LifecycleAction action,
            Department department,
            String unit,
            String disposition,
            Instant at) {
        if (action != LifecycleAction.ACKNOWLEDGE
                && action != LifecycleAction.EN_ROUTE
                && action != LifecycleAction.ON_SCENE
                && action != LifecycleAction.RESOLVE) {
            return Outcome.refused(action + " is not a unit status");
        }
        List<Task> tasks = new ArrayList<>(incident.getTasks());
        int index = indexOf(tasks, department);
        if (index < 0) {
            return Outcome.refused(incident.getIncidentId() + " has no task for " + department);
        }
        Task task = tasks.get(index);
        TaskStatus target = TaskTransitions.target(action.name());
        Task.Builder next = stamp(Task.newBuilder(task), target, at);
        boolean advances =
                active(task)
                        && !ENDED.contains(incident.getStatus())
                        && progress(target) > progress(task.getStatus());
        if (advances) {
            next.setStatus(target).setUpdatedAt(at);
            if (target == TaskStatus.RESOLVED) {
                next.setDisposition(
                        disposition != null && !disposition.isBlank()
                                ? disposition
                                : "unit " + unit + " available");
            }
        }
        Task updated = next.build();
        if (updated.equals(task)) {
            return new Outcome(incident, List.of(), null, false);
        }
        tasks.set(index, updated);
        return new Outcome(withTasks(incident, tasks, at), List.of(), null, false);
    }

    private Outcome taskAction(
            Incident incident,
            LifecycleAction action,
            Department department,
            Department transferTo,
            String reason,
            String disposition,
            Instant now) {
        List<Task> tasks = new ArrayList<>(incident.getTasks());
        int index = -1;
        for (int i = 0; i < tasks.size(); i++) {
            if (tasks.get(i).getDepartment() == department) {
                index = i;
            }
        }
        if (index < 0) {
            return Outcome.refused(incident.getIncidentId() + " has no task for " + department);
        }
        Task task = tasks.get(index);
        TaskStatus target = TaskTransitions.target(action.name());
        if (!TaskTransitions.allowed(task.getStatus(), target)) {
            return Outcome.refused(
                    department
                            + "'s task on "
                            + incident.getIncidentId()
                            + " is "
                            + task.getStatus()
                            + ": it cannot become "
                            + target);
        }
        if ((action == LifecycleAction.TRANSFER || action == LifecycleAction.REJECT)
                && (reason == null || reason.isBlank())) {
            return Outcome.refused(action + " needs a reason");
        }
        if (action == LifecycleAction.RESOLVE && (disposition == null || disposition.isBlank())) {
            return Outcome.refused("RESOLVE needs a disposition (what was done)");
        }
        List<Order> orders = new ArrayList<>();
        tasks.set(
                index,
                stamp(Task.newBuilder(task), target, now)
                        .setStatus(target)
                        .setUpdatedAt(now)
                        .setReason(reason != null ? reason : task.getReason())
                        .setDisposition(disposition != null ? disposition : task.getDisposition())
                        .build());
        if (action == LifecycleAction.TRANSFER) {
            if (transferTo == null
                    || transferTo == department
                    || transferTo == Department.unknown) {
                return Outcome.refused("TRANSFER needs another department to hand the task to");
            }
            int existing = indexOf(tasks, transferTo);
            if (existing < 0) {
                tasks.add(
                        task(
                                transferTo,
                                task.getLead(),
                                now,
                                "transferred from " + department + ": " + reason));
            } else if (!active(tasks.get(existing))) {
                tasks.set(
                        existing,
                        Task.newBuilder(
                                        task(
                                                transferTo,
                                                task.getLead(),
                                                now,
                                                "transferred from " + department + ": " + reason))
                                .setFirstOrderedAt(firstOrdered(tasks.get(existing)))
                                .build());
            }
            orders.add(
                    new Order(
                            transferTo,
                            task.getLead(),
                            "transferred from " + department + ": " + reason));
        }
        // A rejected or transferred task is re-routed, never dropped: with no department left, it
        // is unassigned.
        boolean unassigned = tasks.stream().noneMatch(IncidentLifecycle::active);
        return new Outcome(withTasks(incident, tasks, now), orders, null, unassigned);
    }

    private Outcome incidentAction(
            Incident incident, LifecycleAction action, String reason, Instant now) {
        IncidentStatus status = incident.getStatus();
        return switch (action) {
            case VERIFY ->
                    status != IncidentStatus.RESOLVED
                            ? Outcome.refused(
                                    incident.getIncidentId()
                                            + " is "
                                            + status
                                            + ": only a RESOLVED incident can be verified and closed")
                            : new Outcome(
                                    Incident.newBuilder(incident)
                                            .setClosedAt(now)
                                            .setStatus(IncidentStatus.CLOSED)
                                            .setUpdatedAt(now)
                                            .build(),
                                    List.of(),
                                    null,
                                    false);
            case CANCEL ->
                    new Outcome(
                            Incident.newBuilder(incident)
                                    .setStatus(IncidentStatus.CANCELLED)
                                    .setUpdatedAt(now)
                                    .build(),
                            List.of(),
                            null,
                            false);
            case REOPEN -> {
                if (status != IncidentStatus.RESOLVED && status != IncidentStatus.CLOSED) {
                    yield Outcome.refused(
                            incident.getIncidentId()
                                    + " is "
                                    + status
                                    + ": only a RESOLVED or CLOSED incident can be reopened");
                }
                List<Task> tasks = new ArrayList<>();
                List<Order> orders = new ArrayList<>();
                for (Task t : incident.getTasks()) {
                    if (t.getStatus() == TaskStatus.RESOLVED) {
                        // a new round of work; when the department first responded stays
                        Task fresh =
                                task(
                                        t.getDepartment(),
                                        t.getLead(),
                                        now,
                                        "reopened" + (reason == null ? "" : ": " + reason));
                        tasks.add(
                                Task.newBuilder(fresh)
                                        .setFirstOrderedAt(firstOrdered(t))
                                        .setAcknowledgedAt(t.getAcknowledgedAt())
                                        .setEnRouteAt(t.getEnRouteAt())
                                        .setOnSceneAt(t.getOnSceneAt())
                                        .setResolvedAt(t.getResolvedAt())
                                        .build());
                        orders.add(new Order(t.getDepartment(), t.getLead(), "reopened"));
                    } else {
                        tasks.add(t);
                    }
                }
                Incident reopened =
                        Incident.newBuilder(incident)
                                .setStatus(IncidentStatus.DISPATCHED)
                                .setReopenCount(incident.getReopenCount() + 1)
                                .setClosedAt(null)
                                .build();
                yield new Outcome(withTasks(reopened, tasks, now), orders, null, false);
            }
            default -> throw new IllegalArgumentException(action + " is not an incident action");
        };
    }

    /** 评价: the citizen's satisfaction with a closed incident, 1 to 5. */
    public Outcome satisfaction(Incident incident, int score, Instant now) {
        if (incident.getStatus() != IncidentStatus.CLOSED) {
            return Outcome.refused(
                    incident.getIncidentId()
                            + " is "
                            + incident.getStatus()
                            + ": satisfaction is recorded after closing");
        }
        if (score < 1 || score > 5) {
            return Outcome.refused("satisfaction must be 1 to 5, was " + score);
        }
        return new Outcome(
                Incident.newBuilder(incident).setSatisfaction(score).setUpdatedAt(now).build(),
                List.of(),
                null,
                false);
    }

    /** Closes a resolved incident that stayed quiet: verification by CityOps itself. */
    public Outcome autoVerify(Incident incident, Instant now) {
        if (incident.getStatus() != IncidentStatus.RESOLVED) {
            return Outcome.refused(
                    incident.getIncidentId()
                            + " is "
                            + incident.getStatus()
                            + ": only a RESOLVED incident is verified");
        }
        return new Outcome(
                Incident.newBuilder(incident)
                        .setStatus(IncidentStatus.CLOSED)
                        .setClosedAt(now)
                        .setUpdatedAt(now)
                        .build(),
                List.of(),
                null,
                false);
    }

    /** 延期: moves a task's deadlines by {@code seconds}; the task's state does not change. */
    public Outcome extend(
            Incident incident, Department department, int seconds, String reason, Instant now) {
        if (ENDED.contains(incident.getStatus())) {
            return Outcome.refused(
                    incident.getIncidentId()
                            + " is "
                            + incident.getStatus()
                            + ": it has no deadlines to extend");
        }
        if (seconds <= 0 || reason == null || reason.isBlank()) {
            return Outcome.refused("EXTEND needs a positive number of seconds and a reason");
        }
        List<Task> tasks = new ArrayList<>(incident.getTasks());
        int index = indexOf(tasks, department);
        if (index < 0
                || !active(tasks.get(index))
                || tasks.get(index).getStatus() == TaskStatus.RESOLVED) {
            return Outcome.refused(
                    incident.getIncidentId() + " has no open task for " + department);
        }
        Task task = tasks.get(index);
        tasks.set(
                index,
                Task.newBuilder(task)
                        .setExtendedBySeconds(task.getExtendedBySeconds() + seconds)
                        .setReason("extended by " + seconds + " s: " + reason)
                        .setUpdatedAt(now)
                        .build());
        return new Outcome(withTasks(incident, tasks, now), List.of(), null, false);
    }

    /**
     * The incident's status from its tasks; verification, cancellation and merging are decided
     * elsewhere.
     */
    static IncidentStatus derive(IncidentStatus current, List<Task> tasks) {
        if (ENDED.contains(current)) {
            return current;
        }
        List<Task> live = tasks.stream().filter(IncidentLifecycle::active).toList();
        if (live.isEmpty()) {
            return tasks.isEmpty() ? IncidentStatus.DISCOVERED : IncidentStatus.DISPATCHED;
        }
        if (live.stream().allMatch(t -> t.getStatus() == TaskStatus.RESOLVED)) {
            return IncidentStatus.RESOLVED;
        }
        if (live.stream().anyMatch(t -> t.getStatus() != TaskStatus.ORDERED)) {
            return IncidentStatus.IN_PROGRESS;
        }
        return IncidentStatus.DISPATCHED;
    }

    /**
     * Records when a task reached a phase, for the KPIs: the earliest time it was reported, so the
     * order in which units report does not matter and a reopened task keeps its first response.
     */
    private static Task.Builder stamp(Task.Builder task, TaskStatus target, Instant now) {
        switch (target) {
            case ACKNOWLEDGED -> task.setAcknowledgedAt(earliest(task.getAcknowledgedAt(), now));
            case EN_ROUTE -> task.setEnRouteAt(earliest(task.getEnRouteAt(), now));
            case ON_SCENE -> task.setOnSceneAt(earliest(task.getOnSceneAt(), now));
            case RESOLVED -> task.setResolvedAt(earliest(task.getResolvedAt(), now));
            default -> {}
        }
        return task;
    }

    /** When the department was first ordered to the incident (older tasks lack the field). */
    public static Instant firstOrdered(Task task) {
        return task.getFirstOrderedAt() != null ? task.getFirstOrderedAt() : task.getOrderedAt();
    }

    private static Instant earliest(Instant stamped, Instant now) {
        return stamped == null || now.isBefore(stamped) ? now : stamped;
    }

    /** How far along a task is; TRANSFERRED and REJECTED are not on this path. */
    private static int progress(TaskStatus status) {
        return switch (status) {
            case ORDERED -> 0;
            case ACKNOWLEDGED -> 1;
            case EN_ROUTE -> 2;
            case ON_SCENE -> 3;
            case RESOLVED -> 4;
            default -> -1;
        };
    }

    static boolean active(Task task) {
        return task.getStatus() != TaskStatus.TRANSFERRED
                && task.getStatus() != TaskStatus.REJECTED;
    }

    private static int indexOf(List<Task> tasks, Department department) {
        for (int i = 0; i < tasks.size(); i++) {
            if (tasks.get(i).getDepartment() == department) {
                return i;
            }
        }
        return -1;
    }

    private static Incident withTasks(Incident incident, List<Task> tasks, Instant now) {
        return Incident.newBuilder(incident)
                .setTasks(tasks)
                .setStatus(derive(incident.getStatus(), tasks))
                .setUpdatedAt(now.isAfter(incident.getUpdatedAt()) ? now : incident.getUpdatedAt())
                .build();
    }

    private static Task task(Department department, boolean lead, Instant now, String reason) {
        return Task.newBuilder()
                .setDepartment(department)
                .setLead(lead)
                .setStatus(TaskStatus.ORDERED)
                .setOrderedAt(now)
                .setFirstOrderedAt(now)
                .setUpdatedAt(now)
                .setReason(reason)
                .build();
    }
}
