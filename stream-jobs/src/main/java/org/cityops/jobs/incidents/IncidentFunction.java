package org.cityops.jobs.incidents;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.cityops.jobs.IngestDescriptors;
import org.cityops.jobs.fusion.IncidentChange;
import org.cityops.jobs.kpi.KpiFact;
import org.cityops.jobs.kpi.KpiFacts;
import org.cityops.jobs.lifecycle.EscalationMarks;
import org.cityops.jobs.lifecycle.IncidentLifecycle;
import org.cityops.jobs.lifecycle.LifecycleAction;
import org.cityops.jobs.lifecycle.RoutingTable;
import org.cityops.jobs.lifecycle.SlaPolicy;
import org.cityops.jobs.lifecycle.SlaWatch;
import org.cityops.schemas.Action;
import org.cityops.schemas.Department;
import org.cityops.schemas.IncidentStatus;
import org.cityops.schemas.city.AuditOutcome;
import org.cityops.schemas.city.AuditRecord;
import org.cityops.schemas.city.DispatchOrder;
import org.cityops.schemas.city.Escalation;
import org.cityops.schemas.city.Incident;
import org.cityops.schemas.city.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by incident id: keeps the incident, applies fusion's and the rules' changes ({@link
 * IncidentAssembler}) and drives its lifecycle ({@link IncidentLifecycle}): new departments get
 * tasks and orders, departments' and the command centre's actions move the tasks, a new report on a
 * resolved or closed incident reopens it, and one event-time timer per incident watches its
 * deadlines ({@link SlaWatch}). Every change and every refused action is audited.
 */
public final class IncidentFunction extends KeyedProcessFunction<String, IncidentChange, Incident> {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentFunction.class);

    private final RoutingTable routing;
    private final SlaPolicy slaPolicy;
    private transient IncidentLifecycle lifecycle;
    private transient SlaWatch sla;
    private transient ValueState<Incident> incident;
    private transient ListState<IncidentChange> early;
    private transient ValueState<EscalationMarks> marks;
    private transient ValueState<Long> timerAt;

    public IncidentFunction(RoutingTable routing, SlaPolicy slaPolicy) {
        this.routing = routing;
        this.slaPolicy = slaPolicy;
    }

    @Override
    public void open(OpenContext context) {
        lifecycle = new IncidentLifecycle(routing);
        sla = new SlaWatch(slaPolicy);
        incident = getRuntimeContext().getState(IngestDescriptors.incident());
        early = getRuntimeContext().getListState(IngestDescriptors.EARLY_CHANGES);
        marks = getRuntimeContext().getState(IngestDescriptors.ESCALATION_MARKS);
        timerAt = getRuntimeContext().getState(IngestDescriptors.SLA_TIMER);
    }

    @Override
    public void processElement(IncidentChange change, Context ctx, Collector<Incident> out)
            throws Exception {
        Incident current = incident.value();
        if (current == null
                && !IncidentChange.REPORT.equals(change.kind)
                && !IncidentChange.ACTION.equals(change.kind)) {
            // A rule's alert or a link can overtake the report that opens the incident (another
            // path through the job): keep it until the incident exists.
            early.add(change);
            return;
        }
        apply(current, change, ctx, out);
        if (current == null && incident.value() != null) {
            for (IncidentChange waiting : early.get()) {
                apply(incident.value(), waiting, ctx, out);
            }
            early.clear();
        }
    }

    private void apply(
            Incident current, IncidentChange change, Context ctx, Collector<Incident> out)
            throws Exception {
        Instant at = Instant.ofEpochMilli(change.time);
        IncidentLifecycle.Outcome outcome;
        if (IncidentChange.ACTION.equals(change.kind)) {
            if (current == null) {
                refuse(ctx, change, null, "no such incident", at);
                return;
            }
            outcome = act(current, change, at);
            if (outcome.refused()) {
                refuse(ctx, change, current, outcome.refusal(), at);
                return;
            }
            if (outcome.incident() == current) {
                return; // a unit status that teaches nothing new: no state change
            }
            outcome =
                    new IncidentLifecycle.Outcome(
                            Incident.newBuilder(outcome.incident())
                                    .setVersion(current.getVersion() + 1)
                                    .build(),
                            outcome.orders(),
                            null,
                            outcome.unassigned());
        } else {
            Incident next = IncidentAssembler.apply(current, change);
            if (next == null) {
                return;
            }
            boolean newReport =
                    IncidentChange.REPORT.equals(change.kind)
                            && change.event.getAction() == Action.NEW;
            List<IncidentLifecycle.Order> reopenOrders = List.of();
            if (newReport
                    && (next.getStatus() == IncidentStatus.RESOLVED
                            || next.getStatus() == IncidentStatus.CLOSED)) {
                // A related report after the incident was resolved or closed: it is not over.
                IncidentLifecycle.Outcome reopened =
                        lifecycle.act(
                                next,
                                LifecycleAction.REOPEN,
                                null,
                                null,
                                "new report " + change.eventId,
                                null,
                                at);
                next = reopened.incident();
                reopenOrders = reopened.orders();
            }
            outcome = lifecycle.dispatch(next, at);
            if (!reopenOrders.isEmpty()) {
                List<IncidentLifecycle.Order> orders = new ArrayList<>(reopenOrders);
                orders.addAll(outcome.orders());
                outcome =
                        new IncidentLifecycle.Outcome(
                                outcome.incident(), orders, null, outcome.unassigned());
            }
        }
        Incident next = outcome.incident();
        store(
                current,
                next,
                actor(change),
                change.actorRole,
                describe(change),
                change.reason,
                at,
                ctx,
                out);
        for (IncidentLifecycle.Order order : outcome.orders()) {
            ctx.output(IngestDescriptors.ORDERS, order(next, order, at));
        }
        if (outcome.unassigned()) {
            ctx.output(IngestDescriptors.ESCALATIONS, SlaWatch.unassigned(next, change.time));
        }
    }

    private IncidentLifecycle.Outcome act(Incident current, IncidentChange change, Instant at) {
        LifecycleAction action = LifecycleAction.valueOf(change.action);
        if (change.unitStatus) {
            return lifecycle.unitStatus(
                    current,
                    action,
                    department(change.department),
                    change.unit,
                    change.disposition,
                    at);
        }
        return switch (action) {
            case EXTEND ->
                    lifecycle.extend(
                            current,
                            department(change.department),
                            change.extendBySeconds,
                            change.reason,
                            at);
            case SATISFACTION -> lifecycle.satisfaction(current, change.score, at);
            default ->
                    lifecycle.act(
                            current,
                            action,
                            department(change.department),
                            department(change.transferTo),
                            change.reason,
                            change.disposition,
                            at);
        };
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Incident> out)
            throws Exception {
        timerAt.clear();
        Incident current = incident.value();
        if (current == null) {
            return;
        }
        if (timestamp >= sla.autoVerifyAt(current)) {
            Incident closed =
                    lifecycle.autoVerify(current, Instant.ofEpochMilli(timestamp)).incident();
            store(
                    current,
                    Incident.newBuilder(closed).setVersion(current.getVersion() + 1).build(),
                    "cityops:auto-verify",
                    null,
                    LifecycleAction.AUTO_VERIFY.name(),
                    "no related report for " + slaPolicy.autoVerifySeconds() + " s",
                    Instant.ofEpochMilli(timestamp),
                    ctx,
                    out);
            return;
        }
        EscalationMarks state = marks.value() == null ? new EscalationMarks() : marks.value();
        for (Escalation escalation : sla.check(current, state, timestamp)) {
            ctx.output(IngestDescriptors.ESCALATIONS, escalation);
            for (KpiFact fact : KpiFacts.breach(current, escalation)) {
                ctx.output(IngestDescriptors.KPI_FACTS, fact);
            }
        }
        marks.update(state);
        reschedule(current, ctx);
    }

    /** Keeps the new state, publishes it, audits the change, and moves the deadline timer. */
    private void store(
            Incident before,
            Incident after,
            String actor,
            String role,
            String action,
            String reason,
            Instant at,
            Context ctx,
            Collector<Incident> out)
            throws Exception {
        after = sla.withDeadlines(after);
        incident.update(after);
        out.collect(after);
        EscalationMarks escalated = marks.value();
        for (KpiFact fact :
                KpiFacts.of(before, after, escalated != null && !escalated.marks.isEmpty())) {
            ctx.output(IngestDescriptors.KPI_FACTS, fact);
        }
        ctx.output(
                IngestDescriptors.AUDIT,
                AuditRecord.newBuilder()
                        .setAuditId(after.getIncidentId() + "/v" + after.getVersion())
                        .setIncidentId(after.getIncidentId())
                        .setActor(actor)
                        .setActorRole(role)
                        .setAction(action)
                        .setOutcome(AuditOutcome.APPLIED)
                        .setBefore(before == null ? null : summary(before))
                        .setAfter(summary(after))
                        .setReason(reason)
                        .setAt(at)
                        .build());
        reschedule(after, ctx);
    }

    private void refuse(
            Context ctx, IncidentChange change, Incident current, String why, Instant at) {
        LOG.info("refused {} by {} on {}: {}", change.action, change.actor, change.incidentId, why);
        ctx.output(
                IngestDescriptors.AUDIT,
                AuditRecord.newBuilder()
                        .setAuditId(
                                change.incidentId + "/refused/" + change.action + "/" + change.time)
                        .setIncidentId(change.incidentId)
                        .setActor(actor(change))
                        .setActorRole(change.actorRole)
                        .setAction(describe(change))
                        .setOutcome(AuditOutcome.REFUSED)
                        .setBefore(current == null ? null : summary(current))
                        .setAfter(current == null ? null : summary(current))
                        .setReason(why)
                        .setAt(at)
                        .build());
    }

    /**
     * One event-time timer per incident, at its next deadline; none (and no marks) once it ended.
     */
    private void reschedule(Incident current, Context ctx) throws Exception {
        EscalationMarks state = marks.value() == null ? new EscalationMarks() : marks.value();
        long next = sla.next(current, state);
        Long registered = timerAt.value();
        if (registered != null && registered != next) {
            ctx.timerService().deleteEventTimeTimer(registered);
            timerAt.clear();
        }
        if (next == Long.MAX_VALUE) {
            marks.clear();
            return;
        }
        if (registered == null || registered != next) {
            ctx.timerService().registerEventTimeTimer(next);
            timerAt.update(next);
        }
    }

    static String summary(Incident incident) {
        StringBuilder s = new StringBuilder(incident.getStatus() + " v" + incident.getVersion());
        for (Task task : incident.getTasks()) {
            s.append(' ').append(task.getDepartment()).append(':').append(task.getStatus());
        }
        return s.toString();
    }

    private static String actor(IncidentChange change) {
        if (change.actor != null) {
            return change.actor;
        }
        return IncidentChange.ALERT.equals(change.kind) ? "cityops:rules" : "cityops:fusion";
    }

    private static String describe(IncidentChange change) {
        if (IncidentChange.ACTION.equals(change.kind)) {
            return change.action
                    + (change.department == null ? "" : " " + change.department)
                    + (change.unitStatus
                            ? " (unit " + change.unit + " on " + change.eventId + ")"
                            : "");
        }
        return change.kind
                + (change.eventId != null
                        ? " " + change.eventId
                        : change.otherIncidentId != null ? " " + change.otherIncidentId : "");
    }

    private static DispatchOrder order(
            Incident incident, IncidentLifecycle.Order order, Instant at) {
        return DispatchOrder.newBuilder()
                .setOrderId(
                        incident.getIncidentId()
                                + "/"
                                + order.department()
                                + "/"
                                + at.toEpochMilli())
                .setIncidentId(incident.getIncidentId())
                .setDepartment(order.department())
                .setLead(order.lead())
                .setCategory(incident.getCategory())
                .setSeverity(incident.getSeverity())
                .setTitle(incident.getTitle())
                .setLocation(incident.getLocation())
                .setReason(order.reason())
                .setOrderedAt(at)
                .build();
    }

    private static Department department(String name) {
        return name == null ? null : Department.valueOf(name);
    }
}
