package org.cityops.jobs.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cityops.schemas.geo.Geo;
import org.cityops.schemas.rules.Rule;
import org.cityops.schemas.rules.RuleParser;
import org.junit.jupiter.api.Test;

class RuleEngineTest {

    static final double LAT = 37.7700;
    static final double LON = -122.4190;

    static Rule rule(String json) {
        try {
            return RuleParser.parse(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static final Rule MASS_CASUALTY =
            rule(
                    """
            {"id":"mass-casualty","version":1,"description":"three or more EMS calls close together","kind":"threshold",
             "params":{"match":{"departments":["medical"]},"count":3,"groupBy":"radius","radiusMeters":300,"windowSeconds":600},
             "action":{"type":"raiseSeverity","severity":5,"message":"suspected mass casualty"}}""");
    static final Rule THREE_DEPARTMENTS =
            rule(
                    """
            {"id":"three-departments","version":1,"description":"d","kind":"colocation",
             "params":{"departments":3,"radiusMeters":200,"windowSeconds":900},
             "action":{"type":"alert","severity":4,"message":"three departments on one scene"}}""");
    static final Rule FIRE_THEN_JAM =
            rule(
                    """
            {"id":"fire-then-jam","version":1,"description":"d","kind":"sequence",
             "params":{"first":{"categories":["STRUCTURE_FIRE","FIRE_ALARM"]},"then":{"categories":["CONGESTION"]},"radiusMeters":500,"withinSeconds":1800},
             "action":{"type":"notifyDepartment","department":"traffic","message":"fire affecting traffic"}}""");
    static final Rule UNCONFIRMED_ALARM =
            rule(
                    """
            {"id":"unconfirmed-alarm","version":1,"description":"d","kind":"absence",
             "params":{"first":{"categories":["FIRE_ALARM"],"attributes":{"source":"AUTOMATIC_DETECTOR"}},
                       "missing":{"categories":["STRUCTURE_FIRE"]},"radiusMeters":150,"withinSeconds":300},
             "action":{"type":"alert","severity":2,"message":"automatic alarm not confirmed by any call"}}""");

    private final RuleMemory memory = new RuleMemory();
    private final List<RuleEngine.Firing> firings = new ArrayList<>();
    private final RuleEngine engine =
            new RuleEngine(
                    List.of(MASS_CASUALTY, THREE_DEPARTMENTS, FIRE_THEN_JAM, UNCONFIRMED_ALARM));

    static RuleEvent report(
            String id, String department, String category, double north, double east, String time) {
        RuleEvent e = new RuleEvent();
        e.eventId = id;
        e.incidentId = "INC-" + id;
        e.feed =
                switch (department) {
                    case "police" -> "police.calls";
                    case "fire" -> "fire.alarms";
                    case "medical" -> "medical.calls";
                    default -> "traffic.incidents";
                };
        e.department = department;
        e.category = category;
        e.severity = 3;
        e.lat = LAT + Geo.latDegrees(north);
        e.lon = LON + Geo.lonDegrees(east, LAT);
        e.district = "Mission";
        e.time = Instant.parse(time).toEpochMilli();
        return e;
    }

    private void feed(RuleEvent... events) {
        for (RuleEvent e : events) {
            firings.addAll(engine.onEvent(memory, e));
        }
    }

    private List<String> fired() {
        return firings.stream()
                .map(
                        f ->
                                f.rule().id()
                                        + ":"
                                        + f.evidence().stream()
                                                .map(e -> e.eventId)
                                                .sorted()
                                                .toList())
                .toList();
    }

    @Test
    void thresholdFiresOnceForABurstWhateverOrderItsReportsArriveIn() {
        feed(
                report("M3", "medical", "TRAUMA", 50, 0, "2018-12-08T10:08:00Z"),
                report("M1", "medical", "CARDIAC", 0, 0, "2018-12-08T10:00:00Z"),
                report("FAR", "medical", "TRAUMA", 2000, 0, "2018-12-08T10:01:00Z"));
        assertThat(fired()).isEmpty();
        feed(report("M2", "medical", "BREATHING", 100, 100, "2018-12-08T10:03:00Z"));
        assertThat(fired()).containsExactly("mass-casualty:[M1, M2, M3]");
        feed(report("M4", "medical", "TRAUMA", 20, 0, "2018-12-08T10:09:00Z"));
        assertThat(fired()).hasSize(1);
        assertThat(memory.stats("mass-casualty").firings).isEqualTo(1);
        assertThat(memory.stats("mass-casualty").evaluations).isEqualTo(5);
    }

    @Test
    void thresholdNeedsTheCountWithinTheWindow() {
        feed(
                report("M1", "medical", "TRAUMA", 0, 0, "2018-12-08T10:00:00Z"),
                report("M2", "medical", "TRAUMA", 0, 0, "2018-12-08T10:06:00Z"),
                report("M3", "medical", "TRAUMA", 0, 0, "2018-12-08T10:12:00Z"));
        assertThat(fired()).isEmpty();
    }

    @Test
    void colocationCountsDistinctDepartments() {
        feed(
                report("P", "police", "VIOLENT_CRIME", 0, 0, "2018-12-08T10:00:00Z"),
                report("P2", "police", "VIOLENT_CRIME", 10, 0, "2018-12-08T10:01:00Z"),
                report("M", "medical", "TRAUMA", 30, 0, "2018-12-08T10:02:00Z"));
        assertThat(fired()).isEmpty();
        feed(report("F", "fire", "RESCUE", 60, 40, "2018-12-08T09:58:00Z"));
        assertThat(fired()).containsExactly("three-departments:[F, M, P, P2]");
    }

    @Test
    void sequenceFiresWhenTheSecondReportComesFirstToo() {
        feed(report("JAM", "traffic", "CONGESTION", 300, 0, "2018-12-08T10:20:00Z"));
        assertThat(fired()).isEmpty();
        feed(report("ALARM", "fire", "FIRE_ALARM", 0, 0, "2018-12-08T10:05:00Z"));
        assertThat(fired()).containsExactly("fire-then-jam:[ALARM, JAM]");
    }

    @Test
    void sequenceNeedsTheRightOrder() {
        feed(
                report("JAM", "traffic", "CONGESTION", 300, 0, "2018-12-08T10:00:00Z"),
                report("ALARM", "fire", "FIRE_ALARM", 0, 0, "2018-12-08T10:05:00Z"));
        assertThat(fired()).isEmpty();
    }

    @Test
    void absenceFiresWhenNoConfirmingReportCameInTime() {
        RuleEvent alarm = report("ALARM", "fire", "FIRE_ALARM", 0, 0, "2018-12-08T03:00:00Z");
        alarm.attributes = Map.of("source", "AUTOMATIC_DETECTOR");
        feed(alarm);
        firings.addAll(engine.onTime(memory, Instant.parse("2018-12-08T03:04:00Z").toEpochMilli()));
        assertThat(fired()).isEmpty();
        firings.addAll(engine.onTime(memory, Instant.parse("2018-12-08T03:05:00Z").toEpochMilli()));
        assertThat(fired()).containsExactly("unconfirmed-alarm:[ALARM]");
    }

    @Test
    void absenceDoesNotFireWhenTheConfirmationArrivedEvenOutOfOrder() {
        RuleEvent call = report("CALL", "fire", "STRUCTURE_FIRE", 40, 0, "2018-12-08T03:02:00Z");
        RuleEvent alarm = report("ALARM", "fire", "FIRE_ALARM", 0, 0, "2018-12-08T03:00:00Z");
        alarm.attributes = Map.of("source", "AUTOMATIC_DETECTOR");
        feed(call, alarm);
        firings.addAll(engine.onTime(memory, Instant.parse("2018-12-08T03:10:00Z").toEpochMilli()));
        assertThat(fired()).isEmpty();
        assertThat(memory.pending).isEmpty();
    }

    @Test
    void aCancelledReportStopsCounting() {
        RuleEvent m1 = report("M1", "medical", "TRAUMA", 0, 0, "2018-12-08T10:00:00Z");
        feed(m1, report("M2", "medical", "TRAUMA", 0, 0, "2018-12-08T10:01:00Z"));
        RuleEvent cancel = report("M1", "medical", "TRAUMA", 0, 0, "2018-12-08T10:00:00Z");
        cancel.cancelled = true;
        feed(cancel, report("M3", "medical", "TRAUMA", 0, 0, "2018-12-08T10:02:00Z"));
        assertThat(fired()).isEmpty();
    }

    @Test
    void memoryIsForgottenAsEventTimeMovesOn() {
        feed(report("M1", "medical", "TRAUMA", 0, 0, "2018-12-08T10:00:00Z"));
        engine.onTime(memory, RuleEngine.nextDeadline(memory));
        assertThat(memory.isEmpty()).isTrue();
    }
}
