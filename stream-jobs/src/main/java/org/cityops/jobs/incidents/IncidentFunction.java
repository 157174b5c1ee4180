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
import org.cityops.jobs.lifecycle.EscalationMarks;
import org.cityops.jobs.lifecycle.IncidentLifecycle;
import org.cityops.jobs.lifecycle.LifecycleAction;
import org.cityops.jobs.lifecycle.RoutingTable;
import org.cityops.jobs.lifecycle.SlaPolicy;
import org.cityops.jobs.lifecycle.SlaWatch;
import org.cityops.schemas.Action;
import org.cityops.schemas.Department;
import org.cityops.schemas.IncidentStatus;
import org.cityops.schemas.city.DispatchOrder;
import org.cityops.schemas.city.Escalation;
import org.cityops.schemas.city.Incident;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by incident id: keeps the incident, applies fusion's and the rules' changes ({@link
 * IncidentAssembler}) and drives its lifecycle ({@link IncidentLifecycle}): new departments get
 * tasks and orders, departments' and the command centre's actions move the tasks, a new report on a
 * resolved or closed incident reopens it. A refused action changes nothing.
 */
public final class IncidentFunction extends KeyedProcessFunction<String, IncidentChange, Incident> {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentFunction.class);

    private final RoutingTable routing;
    private final SlaPolicy slaPolicy;
    private transient IncidentLifecycle lifecycle;
    private transient SlaWatch sla;
    private transient ValueState<EscalationMarks> marks;
    private transient ValueState<Long> timerAt;
    private transient ValueState<Incident> incident;
    private transient ListState<IncidentChange> early;

    public IncidentFunction(RoutingTable routing, SlaPolicy slaPolicy) {
        this.routing = routing;
        this.slaPolicy = slaPolicy;
    }

    @Override
    public void open(OpenContext context) {
        lifecycle = new IncidentLifecycle(routing);
        sla = new SlaWatch(slaPolicy);
        marks = getRuntimeContext().getState(IngestDescriptors.ESCALATION_MARKS);
        timerAt = getRuntimeContext().getState(IngestDescriptors.SLA_TIMER);
        incident = getRuntimeContext().getState(IngestDescriptors.incident());
        early = getRuntimeContext().getListState(IngestDescriptors.EARLY_CHANGES);
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
                LOG.info("refused {} on {}: no such incident", change.action, change.incidentId);
                return;
            }
            outcome =
                    LifecycleAction.EXTEND.name().equals(change.action)
                            ? lifecycle.extend(
                                    current,
                                    department(change.department),
                                    change.extendBySeconds,
                                    change.reason,
                                    at)
                            : lifecycle.act(
                                    current,
                                    LifecycleAction.valueOf(change.action),
                                    department(change.department),
                                    department(change.transferTo),
                                    change.reason,
                                    change.disposition,
                                    at);
            if (outcome.refused()) {
                LOG.info(
                        "refused {} by {} on {}: {}",
                        change.action,
                        change.actor,
                        change.incidentId,
                        outcome.refusal());
                return;
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
        incident.update(next);
        out.collect(next);
        reschedule(next, ctx);
        for (IncidentLifecycle.Order order : outcome.orders()) {
            ctx.output(IngestDescriptors.ORDERS, order(next, order, at));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Incident> out)
            throws Exception {
        timerAt.clear();
        Incident current = incident.value();
        if (current == null) {
            return;
        }
        EscalationMarks state = marks.value() == null ? new EscalationMarks() : marks.value();
        for (Escalation escalation : sla.check(current, state, timestamp)) {
            ctx.output(IngestDescriptors.ESCALATIONS, escalation);
        }
        marks.update(state);
        reschedule(current, ctx);
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
