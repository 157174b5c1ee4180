package org.cityops.jobs.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cityops.schemas.Category;
import org.cityops.schemas.CityLocation;
import org.cityops.schemas.Department;
import org.cityops.schemas.IncidentStatus;
import org.cityops.schemas.TaskStatus;
import org.cityops.schemas.city.Incident;
import org.cityops.schemas.city.Task;
import org.junit.jupiter.api.Test;

public class IncidentLifecycleTest {

    public static final Instant T0 = Instant.parse("2018-12-08T10:00:00Z");
    private final IncidentLifecycle lifecycle = new IncidentLifecycle(RoutingTable.defaults());

    public static Incident incident(Category category, int severity, Department... departments) {
        return Incident.newBuilder()
                .setIncidentId("INC-1")
                .setVersion(1)
                .setStatus(IncidentStatus.DISCOVERED)
                .setCategory(category)
                .setSeverity(severity)
                .setTitle("t")
                .setDepartments(List.of(departments))
                .setLocation(CityLocation.newBuilder().setLat(37.77).setLon(-122.41).build())
                .setFirstReportAt(T0)
                .setLastReportAt(T0)
                .setUpdatedAt(T0)
                .setReports(new ArrayList<>())
                .build();
    }

    private Incident step(Incident incident, LifecycleAction action, Department department) {
        return accepted(lifecycle, incident, action, department, 60);
    }

    /**
     * Applies {@code action} at T0 + {@code secondsAfterT0}, asserting it is accepted; a RESOLVE
     * carries a disposition. Shared with the KPI tests, which drive incidents the same way.
     */
    public static Incident accepted(
            IncidentLifecycle lifecycle,
            Incident incident,
            LifecycleAction action,
            Department department,
            long secondsAfterT0) {
        IncidentLifecycle.Outcome outcome =
                lifecycle.act(
                        incident,
                        action,
                        department,
                        null,
                        null,
                        action == LifecycleAction.RESOLVE ? "patient transported" : null,
                        T0.plusSeconds(secondsAfterT0));
        assertThat(outcome.refusal()).isNull();
        return outcome.incident();
    }

    @Test
    void aCollisionWithInjuriesIsLedByPoliceWithTrafficAndEmsSupportingAndFireWhenSevere() {
        IncidentLifecycle.Outcome outcome =
                lifecycle.dispatch(incident(Category.TRAFFIC_COLLISION, 3, Department.police), T0);
        assertThat(outcome.orders())
                .extracting(IncidentLifecycle.Order::department, IncidentLifecycle.Order::lead)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Department.police, true),
                        org.assertj.core.groups.Tuple.tuple(Department.traffic, false),
                        org.assertj.core.groups.Tuple.tuple(Department.medical, false));
        assertThat(outcome.incident().getStatus()).isEqualTo(IncidentStatus.DISPATCHED);
        assertThat(outcome.incident().getTasks())
                .extracting(Task::getStatus)
                .containsOnly(TaskStatus.ORDERED);

        assertThat(
                        lifecycle
                                .dispatch(
                                        incident(Category.TRAFFIC_COLLISION, 5, Department.police),
                                        T0)
                                .orders())
                .extracting(IncidentLifecycle.Order::department)
                .contains(Department.fire);
    }

    @Test
    void dispatchIsIdempotentAndAddsADepartmentWhoseReportJoinsLater() {
        Incident dispatched =
                lifecycle
                        .dispatch(incident(Category.PROPERTY_CRIME, 2, Department.police), T0)
                        .incident();
        assertThat(lifecycle.dispatch(dispatched, T0).orders()).isEmpty();

        Incident withEms =
                Incident.newBuilder(dispatched)
                        .setDepartments(List.of(Department.police, Department.medical))
                        .build();
        assertThat(lifecycle.dispatch(withEms, T0).orders())
                .extracting(IncidentLifecycle.Order::department)
                .containsExactly(Department.medical);
    }

    @Test
    void tasksRunThroughTheLoopAndTheIncidentIsResolvedWhenAllAreThenClosedOnlyAfterVerification() {
        Incident incident = lifecycle.dispatch(incident(Category.STRUCTURE_FIRE, 4), T0).incident();
        assertThat(incident.getTasks())
                .extracting(Task::getDepartment)
                .containsExactly(Department.fire, Department.medical);

        incident = step(incident, LifecycleAction.ACKNOWLEDGE, Department.fire);
        assertThat(incident.getStatus()).isEqualTo(IncidentStatus.IN_PROGRESS);
        incident =
                step(
                        step(
                                step(incident, LifecycleAction.EN_ROUTE, Department.fire),
                                LifecycleAction.ON_SCENE,
                                Department.fire),
                        LifecycleAction.RESOLVE,
                        Department.fire);
        assertThat(incident.getStatus())
                .as("EMS has not resolved yet")
                .isEqualTo(IncidentStatus.IN_PROGRESS);
        incident =
                step(
                        step(incident, LifecycleAction.ACKNOWLEDGE, Department.medical),
                        LifecycleAction.RESOLVE,
                        Department.medical);
        assertThat(incident.getStatus()).isEqualTo(IncidentStatus.RESOLVED);

        incident = step(incident, LifecycleAction.VERIFY, null);
        assertThat(incident.getStatus()).isEqualTo(IncidentStatus.CLOSED);
        assertThat(
                        lifecycle
                                .act(
                                        incident,
                                        LifecycleAction.ACKNOWLEDGE,
                                        Department.fire,
                                        null,
                                        null,
                                        null,
                                        T0)
                                .refusal())
                .contains("CLOSED");

        incident = step(incident, LifecycleAction.REOPEN, null);
        assertThat(incident.getStatus()).isEqualTo(IncidentStatus.DISPATCHED);
        assertThat(incident.getTasks())
                .extracting(Task::getStatus)
                .containsOnly(TaskStatus.ORDERED);
    }

    @Test
    void eachTaskRecordsWhenItFirstReachedAPhaseAndTheIncidentWhenItClosedAndHowOftenItReopened() {
        Incident incident = lifecycle.dispatch(incident(Category.CARDIAC, 3), T0).incident();
        incident = at(incident, LifecycleAction.ACKNOWLEDGE, 30);
        incident = at(incident, LifecycleAction.EN_ROUTE, 90);
        incident = at(incident, LifecycleAction.ON_SCENE, 600);
        incident = at(incident, LifecycleAction.RESOLVE, 1800);
        Task ems = incident.getTasks().get(0);
        assertThat(ems.getAcknowledgedAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(ems.getEnRouteAt()).isEqualTo(T0.plusSeconds(90));
        assertThat(ems.getOnSceneAt()).isEqualTo(T0.plusSeconds(600));
        assertThat(ems.getResolvedAt()).isEqualTo(T0.plusSeconds(1800));
        assertThat(incident.getClosedAt()).isNull();

        incident = at(incident, LifecycleAction.VERIFY, 2000);
        assertThat(incident.getClosedAt()).isEqualTo(T0.plusSeconds(2000));
        incident = at(incident, LifecycleAction.REOPEN, 2100);
        assertThat(incident.getReopenCount()).isEqualTo(1);
        assertThat(incident.getClosedAt()).as("open again").isNull();
        Task reopened = incident.getTasks().get(0);
        assertThat(reopened.getStatus()).as("a new round of work").isEqualTo(TaskStatus.ORDERED);
        assertThat(reopened.getAcknowledgedAt())
                .as("when the department first responded stays: KPIs count the first response")
                .isEqualTo(T0.plusSeconds(30));
        incident = at(incident, LifecycleAction.ACKNOWLEDGE, 2200);
        assertThat(incident.getTasks().get(0).getAcknowledgedAt()).isEqualTo(T0.plusSeconds(30));
    }

    @Test
    void unitStatusesRecordTheEarliestTimeOfEachPhaseAndMoveTheTaskOnlyForward() {
        Incident incident = lifecycle.dispatch(incident(Category.CARDIAC, 3), T0).incident();
        // two calls on one incident; their units report out of order
        incident = unit(incident, LifecycleAction.ACKNOWLEDGE, "M52", 40);
        incident = unit(incident, LifecycleAction.ON_SCENE, "M52", 500);
        incident = unit(incident, LifecycleAction.EN_ROUTE, "M17", 120);
        incident = unit(incident, LifecycleAction.ACKNOWLEDGE, "M17", 25);
        Task ems = incident.getTasks().get(0);
        assertThat(ems.getAcknowledgedAt()).as("the earlier unit").isEqualTo(T0.plusSeconds(25));
        assertThat(ems.getEnRouteAt())
                .as("recorded though the task was already on scene")
                .isEqualTo(T0.plusSeconds(120));
        assertThat(ems.getStatus()).as("never back").isEqualTo(TaskStatus.ON_SCENE);

        incident = unit(incident, LifecycleAction.RESOLVE, "M52", 1800);
        assertThat(incident.getStatus()).isEqualTo(IncidentStatus.RESOLVED);
        assertThat(incident.getTasks().get(0).getDisposition()).isEqualTo("unit M52 available");
        Incident onSceneAgain = unit(incident, LifecycleAction.ON_SCENE, "M17", 700);
        assertThat(onSceneAgain)
                .as("a later unit teaches nothing new: the same incident, no change")
                .isSameAs(incident);

        assertThat(
                        lifecycle
                                .unitStatus(
                                        incident,
                                        LifecycleAction.ON_SCENE,
                                        Department.fire,
                                        "E01",
                                        null,
                                        T0.plusSeconds(300))
                                .refusal())
                .isEqualTo("INC-1 has no task for fire");
    }

    private Incident unit(
            Incident incident, LifecycleAction action, String unit, long secondsAfterT0) {
        var outcome =
                lifecycle.unitStatus(
                        incident,
                        action,
                        Department.medical,
                        unit,
                        null,
                        T0.plusSeconds(secondsAfterT0));
        assertThat(outcome.refusal()).isNull();
        return outcome.incident();
    }

    private Incident at(Incident incident, LifecycleAction action, long secondsAfterT0) {
        boolean commandCentre =
                action == LifecycleAction.VERIFY || action == LifecycleAction.REOPEN;
        return accepted(
                lifecycle,
                incident,
                action,
                commandCentre ? null : Department.medical,
                secondsAfterT0);
    }

    @Test
    void illegalTransitionsAreRefusedWithAReasonAndChangeNothing() {
        Incident incident = lifecycle.dispatch(incident(Category.CARDIAC, 4), T0).incident();

        assertThat(
                        lifecycle
                                .act(
                                        incident,
                                        LifecycleAction.RESOLVE,
                                        Department.medical,
                                        null,
                                        null,
                                        "done",
                                        T0)
                                .refusal())
                .isEqualTo("medical's task on INC-1 is ORDERED: it cannot become RESOLVED");
        assertThat(
                        lifecycle
                                .act(
                                        incident,
                                        LifecycleAction.ACKNOWLEDGE,
                                        Department.police,
                                        null,
                                        null,
                                        null,
                                        T0)
                                .refusal())
                .isEqualTo("INC-1 has no task for police");
        assertThat(
                        lifecycle
                                .act(incident, LifecycleAction.VERIFY, null, null, null, null, T0)
                                .refusal())
                .contains("only a RESOLVED incident can be verified");
        assertThat(
                        lifecycle
                                .act(
                                        incident,
                                        LifecycleAction.REJECT,
                                        Department.medical,
                                        null,
                                        null,
                                        null,
                                        T0)
                                .refusal())
                .isEqualTo("REJECT needs a reason");
        Incident acknowledged = step(incident, LifecycleAction.ACKNOWLEDGE, Department.medical);
        assertThat(
                        lifecycle
                                .act(
                                        acknowledged,
                                        LifecycleAction.RESOLVE,
                                        Department.medical,
                                        null,
                                        null,
                                        null,
                                        T0)
                                .refusal())
                .contains("disposition");
    }

    @Test
    void aTransferredTaskIsReRoutedAndARejectedLastTaskLeavesTheIncidentUnassigned() {
        Incident incident = lifecycle.dispatch(incident(Category.PUBLIC_ORDER, 2), T0).incident();
        IncidentLifecycle.Outcome transfer =
                lifecycle.act(
                        incident,
                        LifecycleAction.TRANSFER,
                        Department.police,
                        Department.traffic,
                        "a broken-down bus, not a disturbance",
                        null,
                        T0);
        assertThat(transfer.orders())
                .extracting(IncidentLifecycle.Order::department)
                .containsExactly(Department.traffic);
        assertThat(transfer.incident().getTasks())
                .extracting(t -> t.getDepartment() + " " + t.getStatus())
                .containsExactly("police TRANSFERRED", "traffic ORDERED");
        assertThat(transfer.unassigned()).isFalse();

        IncidentLifecycle.Outcome reject =
                lifecycle.act(
                        transfer.incident(),
                        LifecycleAction.REJECT,
                        Department.traffic,
                        null,
                        "no vehicle there",
                        null,
                        T0);
        assertThat(reject.unassigned()).as("nobody holds it: it must escalate").isTrue();
        assertThat(reject.incident().getStatus()).isEqualTo(IncidentStatus.DISPATCHED);
    }
}
