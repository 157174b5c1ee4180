package org.cityops.jobs.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.cityops.jobs.IngestDescriptors;
import org.cityops.jobs.TestRecords;
import org.cityops.jobs.fusion.IncidentChange;
import org.cityops.jobs.lifecycle.RoutingTable;
import org.cityops.jobs.lifecycle.SlaPolicy;
import org.cityops.schemas.Action;
import org.cityops.schemas.Category;
import org.cityops.schemas.Department;
import org.cityops.schemas.IncidentStatus;
import org.cityops.schemas.TaskStatus;
import org.cityops.schemas.city.CommandKind;
import org.cityops.schemas.city.FeedbackCommand;
import org.cityops.schemas.city.Incident;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IncidentFunctionTest {

    private KeyedOneInputStreamOperatorTestHarness<String, IncidentChange, Incident> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new IncidentFunction(RoutingTable.defaults(), SlaPolicy.defaults()),
                        c -> c.incidentId,
                        Types.STRING);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void report(String id, Category category, String time) throws Exception {
        harness.processElement(
                new StreamRecord<>(
                        IncidentChange.report(
                                "INC-1",
                                TestRecords.report(
                                        "medical.calls",
                                        id,
                                        category,
                                        37.77,
                                        -122.41,
                                        time,
                                        Action.NEW))));
    }

    private void act(CommandKind kind, Department department, String disposition) throws Exception {
        FeedbackCommand command =
                FeedbackCommand.newBuilder()
                        .setCommandId(kind + "-" + department)
                        .setKind(kind)
                        .setIncidentId("INC-1")
                        .setDepartment(department)
                        .setDisposition(disposition)
                        .setActor("u")
                        .setActorRole("dispatcher")
                        .setAt(Instant.parse("2018-12-08T10:10:00Z"))
                        .build();
        harness.processElement(new StreamRecord<>(IncidentChange.action(command)));
    }

    private void act(
            CommandKind kind, Department department, String at, Integer extendBy, String reason)
            throws Exception {
        FeedbackCommand command =
                FeedbackCommand.newBuilder()
                        .setCommandId(kind + "-" + at)
                        .setKind(kind)
                        .setIncidentId("INC-1")
                        .setDepartment(department)
                        .setExtendBySeconds(extendBy)
                        .setReason(reason)
                        .setActor("u")
                        .setActorRole("dispatcher")
                        .setAt(Instant.parse(at))
                        .build();
        harness.processElement(new StreamRecord<>(IncidentChange.action(command)));
    }

    private java.util.List<String> escalations() {
        var side = harness.getSideOutput(IngestDescriptors.ESCALATIONS);
        return side == null
                ? java.util.List.of()
                : side.stream()
                        .map(
                                r ->
                                        r.getValue().getDepartment()
                                                + " "
                                                + r.getValue().getPhase()
                                                + " "
                                                + r.getValue().getLevel())
                        .toList();
    }

    private void watermark(String at) throws Exception {
        harness.processWatermark(Instant.parse(at).toEpochMilli());
    }

    private void unit(CommandKind kind, String unit, String at) throws Exception {
        FeedbackCommand status =
                FeedbackCommand.newBuilder()
                        .setCommandId(unit + "-" + kind + "-" + at)
                        .setKind(kind)
                        .setIncidentId("")
                        .setReportFeed("medical.calls")
                        .setReportId("M1")
                        .setUnit(unit)
                        .setDepartment(Department.medical)
                        .setActor("sffd-cad")
                        .setActorRole("department-system")
                        .setAt(Instant.parse(at))
                        .build();
        harness.processElement(
                new StreamRecord<>(IncidentChange.unitStatus("INC-1", "medical.calls/M1", status)));
    }

    @Test
    void unitStatusesMoveTheTaskAndOnlyANewFactMakesANewVersion() throws Exception {
        report("M1", Category.CARDIAC, "2018-12-08T10:00:00Z");
        unit(CommandKind.ON_SCENE, "M52", "2018-12-08T10:07:00Z");
        unit(CommandKind.ACKNOWLEDGE, "M52", "2018-12-08T10:01:00Z");
        int versions = harness.extractOutputValues().size();
        unit(CommandKind.ACKNOWLEDGE, "M17", "2018-12-08T10:03:00Z");

        assertThat(harness.extractOutputValues())
                .as("a later acknowledgement teaches nothing: no new version")
                .hasSize(versions);
        Incident last = harness.extractOutputValues().get(versions - 1);
        assertThat(last.getTasks())
                .filteredOn(t -> t.getDepartment() == Department.medical)
                .singleElement()
                .satisfies(
                        t -> {
                            assertThat(t.getStatus()).isEqualTo(TaskStatus.ON_SCENE);
                            assertThat(t.getAcknowledgedAt())
                                    .isEqualTo(Instant.parse("2018-12-08T10:01:00Z"));
                            assertThat(t.getOnSceneAt())
                                    .isEqualTo(Instant.parse("2018-12-08T10:07:00Z"));
                        });
        assertThat(harness.getSideOutput(IngestDescriptors.AUDIT))
                .extracting(r -> r.getValue().getAction())
                .contains("ON_SCENE medical (unit M52 on medical.calls/M1)");
    }

    @Test
    void aMissedDeadlineEscalatesLevelByLevelWhileUnhandled() throws Exception {
        report(
                "M1",
                Category.CARDIAC,
                "2018-12-08T10:00:00Z"); // severity 3: EMS must acknowledge within 120 s
        watermark("2018-12-08T10:01:59Z");
        assertThat(escalations()).isEmpty();
        watermark("2018-12-08T10:02:00Z");
        assertThat(escalations()).containsExactly("medical acknowledge DEPARTMENT_SUPERVISOR");
        watermark("2018-12-08T10:05:00Z");
        assertThat(escalations())
                .containsExactly(
                        "medical acknowledge DEPARTMENT_SUPERVISOR",
                        "medical acknowledge COMMAND_CENTRE");
        watermark("2018-12-08T10:08:00Z");
        assertThat(escalations()).endsWith("medical acknowledge CITY_LEADER");
    }

    @Test
    void handlingTheTaskStopsItsEscalationAndAnExtensionMovesTheDeadline() throws Exception {
        report("M1", Category.CARDIAC, "2018-12-08T10:00:00Z");
        act(CommandKind.ACKNOWLEDGE, Department.medical, "2018-12-08T10:00:30Z", null, null);
        act(
                CommandKind.EXTEND,
                Department.medical,
                "2018-12-08T10:01:00Z",
                300,
                "ambulance diverted from a crash");
        watermark("2018-12-08T10:24:59Z");
        assertThat(escalations()).as("on scene due 10:20 + 5 min").isEmpty();
        watermark("2018-12-08T10:25:00Z");
        assertThat(escalations()).containsExactly("medical onScene DEPARTMENT_SUPERVISOR");
    }

    @Test
    void timersAndEscalationStateAreClearedWhenTheIncidentEnds() throws Exception {
        report("M1", Category.CARDIAC, "2018-12-08T10:00:00Z");
        watermark("2018-12-08T10:01:00Z");
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        act(CommandKind.CANCEL, null, "2018-12-08T10:01:30Z", null, "hoax call");
        assertThat(last().getStatus()).isEqualTo(IncidentStatus.CANCELLED);
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).as("only the incident itself").isEqualTo(1);
    }

    @Test
    void everyChangeAndEveryRefusalIsAuditedWithWhoAndWhy() throws Exception {
        report("M1", Category.CARDIAC, "2018-12-08T10:00:00Z");
        act(CommandKind.RESOLVE, Department.medical, "transported"); // refused: not acknowledged
        act(CommandKind.ACKNOWLEDGE, Department.medical, null);

        assertThat(harness.getSideOutput(IngestDescriptors.AUDIT))
                .extracting(r -> r.getValue())
                .extracting(
                        a ->
                                a.getActor()
                                        + " "
                                        + a.getAction()
                                        + " "
                                        + a.getOutcome()
                                        + " -> "
                                        + a.getAfter())
                .containsExactly(
                        "cityops:fusion REPORT medical.calls/M1 APPLIED -> DISPATCHED v1 medical:ORDERED",
                        "u RESOLVE medical REFUSED -> DISPATCHED v1 medical:ORDERED",
                        "u ACKNOWLEDGE medical APPLIED -> IN_PROGRESS v2 medical:ACKNOWLEDGED");
    }

    @Test
    void aResolvedIncidentThatStaysQuietIsVerifiedAndClosedThenRatedByTheCitizen()
            throws Exception {
        report("M1", Category.CARDIAC, "2018-12-08T10:00:00Z");
        act(CommandKind.ACKNOWLEDGE, Department.medical, "2018-12-08T10:00:30Z", null, null);
        act(CommandKind.SATISFACTION, null, "2018-12-08T10:00:40Z", null, null);
        act(CommandKind.RESOLVE, Department.medical, "transported");
        assertThat(last().getStatus()).isEqualTo(IncidentStatus.RESOLVED);
        Instant resolvedAt = last().getUpdatedAt();

        harness.processWatermark(resolvedAt.plusSeconds(1799).toEpochMilli());
        assertThat(last().getStatus()).isEqualTo(IncidentStatus.RESOLVED);
        harness.processWatermark(resolvedAt.plusSeconds(1800).toEpochMilli());
        assertThat(last().getStatus()).isEqualTo(IncidentStatus.CLOSED);
        assertThat(harness.numEventTimeTimers()).isZero();

        FeedbackCommand rate =
                FeedbackCommand.newBuilder()
                        .setCommandId("rate")
                        .setKind(CommandKind.SATISFACTION)
                        .setIncidentId("INC-1")
                        .setScore(4)
                        .setActor("op")
                        .setActorRole("operator")
                        .setAt(resolvedAt.plusSeconds(4000))
                        .build();
        harness.processElement(new StreamRecord<>(IncidentChange.action(rate)));
        assertThat(last().getSatisfaction()).isEqualTo(4);
        assertThat(harness.getSideOutput(IngestDescriptors.AUDIT))
                .extracting(r -> r.getValue().getAction() + " " + r.getValue().getOutcome())
                .contains("SATISFACTION REFUSED", "AUTO_VERIFY APPLIED", "SATISFACTION APPLIED");
    }

    @Test
    void anIncidentNoDepartmentHoldsGoesToTheCommandCentre() throws Exception {
        report("M1", Category.CARDIAC, "2018-12-08T10:00:00Z");
        act(
                CommandKind.REJECT,
                Department.medical,
                "2018-12-08T10:00:20Z",
                null,
                "not a medical matter");
        assertThat(escalations()).containsExactly("unknown assign COMMAND_CENTRE");
    }

    private Incident last() {
        var values = harness.extractOutputValues();
        return values.get(values.size() - 1);
    }

    @Test
    void aNewIncidentIsDispatchedWithOneOrderPerDepartment() throws Exception {
        report("M1", Category.CARDIAC, "2018-12-08T10:00:00Z");

        assertThat(last().getStatus()).isEqualTo(IncidentStatus.DISPATCHED);
        assertThat(last().getTasks())
                .extracting(t -> t.getDepartment() + " " + t.getStatus())
                .containsExactly("medical ORDERED");
        assertThat(harness.getSideOutput(IngestDescriptors.ORDERS))
                .extracting(r -> r.getValue().getDepartment())
                .containsExactly(Department.medical);
    }

    @Test
    void actionsMoveTheTasksAndAnIllegalOneChangesNothing() throws Exception {
        report("M1", Category.CARDIAC, "2018-12-08T10:00:00Z");
        act(CommandKind.RESOLVE, Department.medical, "transported");
        assertThat(harness.extractOutputValues()).as("refused: not acknowledged yet").hasSize(1);

        act(CommandKind.ACKNOWLEDGE, Department.medical, null);
        assertThat(last().getStatus()).isEqualTo(IncidentStatus.IN_PROGRESS);
        assertThat(last().getVersion()).isEqualTo(2);
        act(CommandKind.RESOLVE, Department.medical, "transported");
        assertThat(last().getStatus()).isEqualTo(IncidentStatus.RESOLVED);
        assertThat(last().getTasks().get(0).getStatus()).isEqualTo(TaskStatus.RESOLVED);

        report("M2", Category.CARDIAC, "2018-12-08T10:20:00Z");
        assertThat(last().getStatus())
                .as("a new report reopens it")
                .isEqualTo(IncidentStatus.DISPATCHED);
        assertThat(harness.getSideOutput(IngestDescriptors.ORDERS))
                .extracting(r -> r.getValue().getReason())
                .containsExactly("leads CARDIAC", "reopened");
    }

    @Test
    void anAlertThatOvertakesTheOpeningReportIsAppliedOnceTheIncidentExists() throws Exception {
        harness.processElement(new StreamRecord<>(IncidentChange.alert("INC-1", "ALR-1", 5, 0)));
        assertThat(harness.extractOutputValues()).isEmpty();

        report("M1", Category.TRAUMA, "2018-12-08T10:00:00Z");

        assertThat(last().getSeverity()).isEqualTo(5);
        assertThat(last().getAlertIds()).containsExactly("ALR-1");
        assertThat(harness.numKeyedStateEntries())
                .as("the incident and its deadline timer; no early changes left")
                .isEqualTo(2);
    }

    @Test
    void aRulesSeverityFloorHoldsWhenMoreReportsArrive() throws Exception {
        report("M1", Category.TRAUMA, "2018-12-08T10:00:00Z");
        harness.processElement(new StreamRecord<>(IncidentChange.alert("INC-1", "ALR-1", 5, 0)));
        report("M2", Category.TRAUMA, "2018-12-08T10:01:00Z");
        assertThat(last().getSeverity()).isEqualTo(5);
        assertThat(last().getAlertIds()).containsExactly("ALR-1");
    }
}
