package org.cityops.jobs.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cityops.jobs.TestRecords;
import org.cityops.jobs.incidents.IncidentAssembler;
import org.cityops.schemas.Action;
import org.cityops.schemas.Category;
import org.cityops.schemas.Department;
import org.cityops.schemas.IncidentStatus;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.city.CommandKind;
import org.cityops.schemas.city.FeedbackCommand;
import org.cityops.schemas.city.Incident;
import org.cityops.schemas.city.IncidentLink;
import org.cityops.schemas.geo.Geo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Fusion with the default configuration, folded into incidents as the job does. */
class FusionEngineTest {

    static final double LAT = 37.7700;
    static final double LON = -122.4190;

    private final FusionEngine engine =
            new FusionEngine(FusionConfig.defaults(), new InMemoryFusionStore());
    private final Map<String, Incident> incidents = new LinkedHashMap<>();
    private long watermark = Long.MIN_VALUE;

    private void feed(CityEvent... events) {
        for (CityEvent event : events) {
            apply(engine.onEvent(event, watermark));
        }
    }

    private void apply(FusionEngine.Step step) {
        for (IncidentChange change : step.changes()) {
            Incident next = IncidentAssembler.apply(incidents.get(change.incidentId), change);
            if (next != null) {
                incidents.put(change.incidentId, next);
            }
        }
    }

    private Collection<Incident> open() {
        return incidents.values().stream()
                .filter(i -> i.getStatus() != IncidentStatus.MERGED)
                .toList();
    }

    static CityEvent at(
            String feed,
            String id,
            Category category,
            double metersNorth,
            double metersEast,
            String time) {
        return TestRecords.report(
                feed,
                id,
                category,
                LAT + Geo.latDegrees(metersNorth),
                LON + Geo.lonDegrees(metersEast, LAT),
                time,
                Action.NEW);
    }

    @Test
    void aCollisionReportedByPoliceEmsAndACameraIsOneIncident() {
        feed(
                at("police.calls", "P1", Category.TRAFFIC_COLLISION, 0, 0, "2018-12-08T10:00:00Z"),
                at(
                        "medical.calls",
                        "M1",
                        Category.TRAFFIC_COLLISION,
                        40,
                        30,
                        "2018-12-08T10:01:30Z"),
                at(
                        "traffic.incidents",
                        "T1",
                        Category.TRAFFIC_COLLISION,
                        -60,
                        20,
                        "2018-12-08T10:03:00Z"));

        assertThat(open())
                .singleElement()
                .satisfies(
                        i -> {
                            assertThat(i.getReports()).hasSize(3);
                            assertThat(i.getDepartments())
                                    .containsExactly(
                                            Department.police,
                                            Department.medical,
                                            Department.traffic);
                            assertThat(i.getSourceCount()).isEqualTo(3);
                            assertThat(i.getSeverity())
                                    .as("raised for several departments")
                                    .isEqualTo(4);
                        });
    }

    @Test
    void fiveCallsAboutOneBuildingFireAndAnAlarmBeforeThemAreOneIncident() {
        feed(at("fire.alarms", "ALARM", Category.FIRE_ALARM, 0, 0, "2018-12-08T03:00:00Z"));
        for (int i = 1; i <= 5; i++) {
            feed(
                    at(
                            "fire.alarms",
                            "CALL" + i,
                            Category.STRUCTURE_FIRE,
                            i * 15,
                            -i * 10,
                            "2018-12-08T03:0" + i + ":00Z"));
        }
        assertThat(open())
                .singleElement()
                .satisfies(
                        i -> {
                            assertThat(i.getReports()).hasSize(6);
                            assertThat(i.getCategory()).isEqualTo(Category.STRUCTURE_FIRE);
                        });
    }

    @Test
    void reportsAKilometreOrTwoHoursApartNeverFuse() {
        feed(
                at("police.calls", "A", Category.TRAFFIC_COLLISION, 0, 0, "2018-12-08T10:00:00Z"),
                at(
                        "police.calls",
                        "B",
                        Category.TRAFFIC_COLLISION,
                        1000,
                        0,
                        "2018-12-08T10:00:00Z"),
                at("police.calls", "C", Category.TRAFFIC_COLLISION, 0, 0, "2018-12-08T12:00:00Z"));
        assertThat(open()).hasSize(3);
    }

    @Test
    void aBurglaryAndACardiacArrestAtOneAddressStaySeparate() {
        feed(
                at("police.calls", "B", Category.PROPERTY_CRIME, 0, 0, "2018-12-08T10:00:00Z"),
                at("medical.calls", "M", Category.CARDIAC, 0, 0, "2018-12-08T10:01:00Z"));
        assertThat(open()).hasSize(2);
    }

    /** Two reports 30 m apart straddling a grid cell boundary, at several boundaries. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 7, 13})
    void reportsOnOppositeSidesOfACellBoundaryFuse(int boundary) {
        double cellLat = Geo.latDegrees(FusionEngine.CELL_METERS);
        double edgeLat = (Math.floor(LAT / cellLat) + boundary) * cellLat;
        double halfGap = Geo.latDegrees(15);
        feed(
                TestRecords.report(
                        "police.calls",
                        "N" + boundary,
                        Category.VIOLENT_CRIME,
                        edgeLat + halfGap,
                        LON,
                        "2018-12-08T10:00:00Z",
                        Action.NEW),
                TestRecords.report(
                        "police.calls",
                        "S" + boundary,
                        Category.VIOLENT_CRIME,
                        edgeLat - halfGap,
                        LON,
                        "2018-12-08T10:02:00Z",
                        Action.NEW));
        double cellLon = Geo.lonDegrees(FusionEngine.CELL_METERS, 37.77);
        double edgeLon = (Math.floor(LON / cellLon) + boundary) * cellLon;
        double halfGapLon = Geo.lonDegrees(15, LAT);
        feed(
                TestRecords.report(
                        "police.calls",
                        "E" + boundary,
                        Category.SHOOTING,
                        LAT + 0.01,
                        edgeLon + halfGapLon,
                        "2018-12-08T11:00:00Z",
                        Action.NEW),
                TestRecords.report(
                        "police.calls",
                        "W" + boundary,
                        Category.SHOOTING,
                        LAT + 0.01,
                        edgeLon - halfGapLon,
                        "2018-12-08T11:01:00Z",
                        Action.NEW));

        assertThat(open()).hasSize(2).allSatisfy(i -> assertThat(i.getReports()).hasSize(2));
    }

    @Test
    void anOutOfOrderReportWithinTheAllowedLatenessFusesAsIfOnTime() {
        feed(at("police.calls", "LATER", Category.VIOLENT_CRIME, 0, 0, "2018-12-08T10:10:00Z"));
        watermark = Instant.parse("2018-12-08T10:09:30Z").toEpochMilli();
        feed(at("medical.calls", "EARLIER", Category.TRAUMA, 20, 0, "2018-12-08T10:08:00Z"));
        assertThat(open()).singleElement().satisfies(i -> assertThat(i.getReports()).hasSize(2));
    }

    @Test
    void aReportLaterThanTheAllowedLatenessOpensANewIncidentLinkedToTheOldOne() {
        feed(at("police.calls", "FIRST", Category.VIOLENT_CRIME, 0, 0, "2018-12-08T10:00:00Z"));
        watermark = Instant.parse("2018-12-08T10:40:00Z").toEpochMilli();
        feed(at("medical.calls", "STRAGGLER", Category.TRAUMA, 20, 0, "2018-12-08T10:05:00Z"));

        assertThat(open()).hasSize(2);
        Incident straggler = incidents.get("INC-MED-STRAGGLER");
        assertThat(straggler.getLinks())
                .extracting(IncidentLink::getIncidentId)
                .containsExactly("INC-POL-FIRST");
        assertThat(incidents.get("INC-POL-FIRST").getLinks())
                .extracting(IncidentLink::getIncidentId)
                .containsExactly("INC-MED-STRAGGLER");
    }

    @Test
    void updatesAndCancellationsReachTheIncidentAndAllCancelledMeansCancelled() {
        CityEvent a = at("police.calls", "A", Category.VIOLENT_CRIME, 0, 0, "2018-12-08T10:00:00Z");
        CityEvent b =
                at("police.calls", "B", Category.VIOLENT_CRIME, 10, 0, "2018-12-08T10:01:00Z");
        feed(a, b);
        feed(CityEvent.newBuilder(a).setAction(Action.UPDATE).setSeverity(5).build());
        assertThat(open()).singleElement().satisfies(i -> assertThat(i.getSeverity()).isEqualTo(5));

        feed(
                CityEvent.newBuilder(a).setAction(Action.CANCEL).build(),
                CityEvent.newBuilder(b).setAction(Action.CANCEL).build());
        assertThat(open())
                .singleElement()
                .satisfies(i -> assertThat(i.getStatus()).isEqualTo(IncidentStatus.CANCELLED));
    }

    @Test
    void operatorsMergeTwoIncidentsAndSplitReportsOut() {
        feed(
                at("police.calls", "A", Category.VIOLENT_CRIME, 0, 0, "2018-12-08T10:00:00Z"),
                at("police.calls", "B", Category.PROPERTY_CRIME, 0, 0, "2018-12-08T10:01:00Z"),
                at("police.calls", "C", Category.PROPERTY_CRIME, 5, 0, "2018-12-08T10:02:00Z"));
        assertThat(open()).hasSize(2);

        apply(
                engine.onCommand(
                        command("cmd-1", CommandKind.MERGE, "INC-POL-B", "INC-POL-A", List.of()),
                        watermark));
        assertThat(incidents.get("INC-POL-B").getStatus()).isEqualTo(IncidentStatus.MERGED);
        assertThat(incidents.get("INC-POL-B").getMergedInto()).isEqualTo("INC-POL-A");
        assertThat(incidents.get("INC-POL-B").getLinks())
                .extracting(l -> l.getKind().name())
                .containsExactly("REPLACED_BY");
        assertThat(incidents.get("INC-POL-A").getReports()).hasSize(3);
        assertThat(incidents.get("INC-POL-A").getLinks())
                .extracting(l -> l.getKind().name())
                .containsExactly("REPLACES");

        apply(
                engine.onCommand(
                        command(
                                "cmd-2",
                                CommandKind.SPLIT,
                                "INC-POL-A",
                                null,
                                List.of("police.calls/C")),
                        watermark));
        apply(
                engine.onCommand(
                        command(
                                "cmd-2",
                                CommandKind.SPLIT,
                                "INC-POL-A",
                                null,
                                List.of("police.calls/C")),
                        watermark));
        assertThat(incidents.get("INC-POL-A").getReports()).hasSize(2);
        Incident child =
                incidents.values().stream()
                        .filter(i -> i.getIncidentId().startsWith("INC-POL-C-S"))
                        .findFirst()
                        .orElseThrow();
        assertThat(child.getReports()).extracting(r -> r.getSourceId()).containsExactly("C");
        assertThat(child.getLinks())
                .extracting(l -> l.getKind() + " " + l.getIncidentId())
                .containsExactly("PARENT INC-POL-A");
        assertThat(open()).hasSize(2);
    }

    @Test
    void aCollisionOnACongestedSegmentIsRelatedToTheCongestionNotFused() {
        feed(
                at(
                        "traffic.readings",
                        "congestion-S-1-1",
                        Category.CONGESTION,
                        0,
                        0,
                        "2018-12-08T07:30:00Z"),
                at(
                        "police.calls",
                        "CRASH",
                        Category.TRAFFIC_COLLISION,
                        120,
                        60,
                        "2018-12-08T07:45:00Z"));

        assertThat(open()).hasSize(2);
        assertThat(incidents.get("INC-POL-CRASH").getLinks())
                .extracting(l -> l.getKind() + " " + l.getIncidentId())
                .containsExactly("RELATED INC-EVT-congestion-S-1-1");
    }

    @Test
    void closedClustersAreForgotten() {
        InMemoryFusionStore store = new InMemoryFusionStore();
        FusionEngine fusion = new FusionEngine(FusionConfig.defaults(), store);
        FusionEngine.Step step =
                fusion.onEvent(
                        at(
                                "police.calls",
                                "A",
                                Category.VIOLENT_CRIME,
                                0,
                                0,
                                "2018-12-08T10:00:00Z"),
                        Long.MIN_VALUE);
        long last = step.timersToAdd().last();

        fusion.onTime(last);

        assertThat(store.clusters).isEmpty();
        assertThat(store.membership).isEmpty();
        assertThat(store.events).isEmpty();
    }

    @Test
    void aUnitStatusGoesToItsReportsIncidentAndWaitsForTheReportWhenItOvertookIt() {
        FusionEngine.Step early =
                engine.onCommand(
                        unitStatus("s1", CommandKind.ACKNOWLEDGE, "SFFD-1", 30), watermark);
        assertThat(early.changes()).as("the report is not known yet").isEmpty();

        FusionEngine.Step report =
                engine.onEvent(
                        at(
                                "medical.calls",
                                "SFFD-1",
                                Category.CARDIAC,
                                0,
                                0,
                                "2018-12-08T10:00:00Z"),
                        watermark);
        assertThat(report.changes())
                .extracting(c -> c.kind, c -> c.action, c -> c.unitStatus, c -> c.eventId)
                .as("first the report, then the status that waited for it")
                .containsExactly(
                        tuple(IncidentChange.REPORT, null, false, "medical.calls/SFFD-1"),
                        tuple(IncidentChange.ACTION, "ACKNOWLEDGE", true, "medical.calls/SFFD-1"));
        String incidentId = report.changes().get(0).incidentId;
        assertThat(report.changes().get(1).incidentId).isEqualTo(incidentId);
        assertThat(report.changes().get(1).department).isEqualTo("medical");

        FusionEngine.Step known =
                engine.onCommand(unitStatus("s2", CommandKind.ON_SCENE, "SFFD-1", 400), watermark);
        assertThat(known.changes())
                .extracting(c -> c.incidentId, c -> c.action, c -> c.unit)
                .containsExactly(tuple(incidentId, "ON_SCENE", "M52"));
        assertThat(
                        engine.onCommand(
                                        unitStatus("s2", CommandKind.ON_SCENE, "SFFD-1", 400),
                                        watermark)
                                .changes())
                .as("a repeated command id")
                .isEmpty();
    }

    @Test
    void aUnitStatusWhoseReportNeverComesIsGivenUpWithAReason() {
        FeedbackCommand orphan = unitStatus("s9", CommandKind.EN_ROUTE, "SFFD-404", 60);
        engine.onCommand(orphan, watermark);

        long due = orphan.getAt().toEpochMilli() + FusionEngine.PENDING_STATUS_MILLIS;
        assertThat(engine.onTime(due - 1).unresolved()).isEmpty();
        FusionEngine.Step givenUp = engine.onTime(due);
        assertThat(givenUp.unresolved()).extracting(u -> u.command()).containsExactly(orphan);
        assertThat(givenUp.unresolved().get(0).reason())
                .contains("report medical.calls/SFFD-404")
                .contains("no such report");
        assertThat(engine.onTime(due + 1).unresolved()).as("given up once").isEmpty();
    }

    static FeedbackCommand unitStatus(String id, CommandKind kind, String callId, long seconds) {
        return FeedbackCommand.newBuilder()
                .setCommandId(id)
                .setKind(kind)
                .setIncidentId("")
                .setReportFeed("medical.calls")
                .setReportId(callId)
                .setUnit("M52")
                .setDepartment(org.cityops.schemas.Department.medical)
                .setActor("sffd-cad")
                .setActorRole("department-system")
                .setAt(Instant.parse("2018-12-08T10:00:00Z").plusSeconds(seconds))
                .build();
    }

    static FeedbackCommand command(
            String id, CommandKind kind, String incident, String target, List<String> eventIds) {
        return FeedbackCommand.newBuilder()
                .setCommandId(id)
                .setKind(kind)
                .setIncidentId(incident)
                .setTargetIncidentId(target)
                .setEventIds(eventIds)
                .setActor("op-1")
                .setActorRole("operator")
                .setAt(Instant.parse("2026-11-27T05:00:00Z"))
                .build();
    }
}
