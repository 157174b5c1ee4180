package org.cityops.jobs.kpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cityops.jobs.lifecycle.IncidentLifecycle;
import org.cityops.jobs.lifecycle.IncidentLifecycleTest;
import org.cityops.jobs.lifecycle.LifecycleAction;
import org.cityops.jobs.lifecycle.RoutingTable;
import org.cityops.schemas.Category;
import org.cityops.schemas.CityLocation;
import org.cityops.schemas.Department;
import org.cityops.schemas.city.Incident;
import org.junit.jupiter.api.Test;

class KpiFactsTest {

    static final Instant T0 = IncidentLifecycleTest.T0;
    private final IncidentLifecycle lifecycle = new IncidentLifecycle(RoutingTable.defaults());

    private static Incident cardiacArrestInMission() {
        Incident incident = IncidentLifecycleTest.incident(Category.CARDIAC, 3, Department.medical);
        return Incident.newBuilder(incident)
                .setLocation(
                        CityLocation.newBuilder(incident.getLocation())
                                .setDistrict("Mission")
                                .build())
                .build();
    }

    private Incident act(Incident incident, LifecycleAction action, Department department, long s) {
        return IncidentLifecycleTest.accepted(lifecycle, incident, action, department, s);
    }

    @Test
    void eachPhaseIsCountedOnceFromTheFirstReportForTheCityTheDepartmentAndTheDistrict() {
        Incident discovered = cardiacArrestInMission();
        Incident dispatched = lifecycle.dispatch(discovered, T0.plusSeconds(5)).incident();
        List<KpiFact> facts = new ArrayList<>(KpiFacts.of(null, discovered, false));
        facts.addAll(KpiFacts.of(discovered, dispatched, false));
        Incident acknowledged =
                act(dispatched, LifecycleAction.ACKNOWLEDGE, Department.medical, 40);
        facts.addAll(KpiFacts.of(dispatched, acknowledged, false));
        Incident onScene = act(acknowledged, LifecycleAction.ON_SCENE, Department.medical, 420);
        facts.addAll(KpiFacts.of(acknowledged, onScene, false));
        Incident resolved = act(onScene, LifecycleAction.RESOLVE, Department.medical, 1500);
        facts.addAll(KpiFacts.of(onScene, resolved, false));
        Incident closed = act(resolved, LifecycleAction.VERIFY, null, 1600);
        facts.addAll(KpiFacts.of(resolved, closed, false));
        facts.addAll(
                KpiFacts.of(closed, closed, false)); // an unrelated later change repeats nothing

        DayKpi medical = fold(facts, "department:medical");
        assertThat(medical.day).isEqualTo("2018-12-08");
        assertThat(medical.opened).isEqualTo(1);
        assertThat(medical.dispatch).containsExactly(5L);
        assertThat(medical.acknowledge).containsExactly(40L);
        assertThat(medical.enRoute).as("skipped by the crew").isEmpty();
        assertThat(medical.onScene).containsExactly(420L);
        assertThat(medical.resolve).containsExactly(1500L);
        assertThat(medical.closed).isEqualTo(1);
        assertThat(medical.close).containsExactly(1600L);
        assertThat(medical.closedOnTime).as("no deadline missed").isEqualTo(1);
        assertThat(KpiFacts.of(resolved, closed, true))
                .as("closed after a missed deadline is not on time")
                .extracting(f -> f.what)
                .contains("closed")
                .doesNotContain("closedOnTime");
        assertThat(fold(facts, "city").onScene).containsExactly(420L);
        assertThat(fold(facts, "district:Mission").close).containsExactly(1600L);
        assertThat(fold(facts, "department:police").facts).isZero();
    }

    @Test
    void aSupportingDepartmentTaskedLaterCountsTheIncidentAsOpenedOnceAndTheCityDoesNotAgain() {
        Incident discovered =
                Incident.newBuilder(cardiacArrestInMission())
                        .setCategory(org.cityops.schemas.Category.TRAFFIC_COLLISION)
                        .setDepartments(List.of(Department.police))
                        .build();
        Incident dispatched = lifecycle.dispatch(discovered, T0).incident();
        List<KpiFact> facts = new ArrayList<>(KpiFacts.of(null, discovered, false));
        facts.addAll(KpiFacts.of(discovered, dispatched, false));
        facts.addAll(KpiFacts.of(dispatched, dispatched, false));

        assertThat(fold(facts, "city").opened).isEqualTo(1);
        assertThat(fold(facts, "department:police").opened).isEqualTo(1);
        assertThat(fold(facts, "department:traffic").opened)
                .as("tasked in support by the routing table")
                .isEqualTo(1);
    }

    @Test
    void aReopenAndASatisfactionScoreAreCountedOnce() {
        Incident dispatched = lifecycle.dispatch(cardiacArrestInMission(), T0).incident();
        Incident resolved =
                act(
                        act(dispatched, LifecycleAction.ACKNOWLEDGE, Department.medical, 30),
                        LifecycleAction.RESOLVE,
                        Department.medical,
                        900);
        Incident reopened = act(resolved, LifecycleAction.REOPEN, null, 1000);
        Incident scored = Incident.newBuilder(reopened).setSatisfaction(4).build();
        List<KpiFact> facts = new ArrayList<>(KpiFacts.of(resolved, reopened, false));
        facts.addAll(KpiFacts.of(reopened, scored, false));
        facts.addAll(KpiFacts.of(scored, scored, false));

        DayKpi city = fold(facts, "city");
        assertThat(city.reopened).isEqualTo(1);
        assertThat(city.satisfactionCount).isEqualTo(1);
        assertThat(city.satisfactionSum).isEqualTo(4);
    }

    @Test
    void theCityAndTheDistrictCountAnIncidentOnceAtItsFirstTaskWhileEachDepartmentCountsItsOwn() {
        Incident discovered =
                Incident.newBuilder(cardiacArrestInMission())
                        .setDepartments(List.of(Department.medical, Department.fire))
                        .build();
        Incident dispatched = lifecycle.dispatch(discovered, T0).incident();
        List<KpiFact> facts = new ArrayList<>(KpiFacts.of(null, discovered, false));
        facts.addAll(KpiFacts.of(discovered, dispatched, false));
        Incident fireOnScene = unit(dispatched, LifecycleAction.ON_SCENE, Department.fire, 240);
        facts.addAll(KpiFacts.of(dispatched, fireOnScene, false));
        Incident bothOnScene = unit(fireOnScene, LifecycleAction.ON_SCENE, Department.medical, 360);
        facts.addAll(KpiFacts.of(fireOnScene, bothOnScene, false));

        assertThat(fold(facts, "department:fire").onScene).containsExactly(240L);
        assertThat(fold(facts, "department:medical").onScene).containsExactly(360L);
        assertThat(fold(facts, "city").onScene).as("the first unit on scene").containsExactly(240L);
        assertThat(fold(facts, "district:Mission").dispatch).containsExactly(0L);
    }

    @Test
    void aUnitReportingAnEarlierTimeLateReplacesTheDurationCountedBefore() {
        Incident dispatched = lifecycle.dispatch(cardiacArrestInMission(), T0).incident();
        Incident first = unit(dispatched, LifecycleAction.EN_ROUTE, Department.medical, 90);
        Incident corrected = unit(first, LifecycleAction.EN_ROUTE, Department.medical, 60);
        List<KpiFact> facts = new ArrayList<>(KpiFacts.of(dispatched, first, false));
        facts.addAll(KpiFacts.of(first, corrected, false));

        assertThat(fold(facts, "department:medical").enRoute).containsExactly(60L);
        assertThat(fold(facts, "city").enRoute).containsExactly(60L);
        assertThat(facts)
                .filteredOn(f -> f.replaces != null)
                .extracting(f -> f.at)
                .as("a correction leaves the live window with the fact it corrects")
                .containsOnly(T0.plusSeconds(90).toEpochMilli());
    }

    @Test
    void anEarlierReportFusedLateMeasuresEveryPhaseFromItAndAcrossMidnightMovesItsDay() {
        Incident dispatched = lifecycle.dispatch(cardiacArrestInMission(), T0).incident();
        Incident acknowledged =
                unit(dispatched, LifecycleAction.ACKNOWLEDGE, Department.medical, 60);
        List<KpiFact> facts = new ArrayList<>(KpiFacts.of(null, dispatched, false));
        facts.addAll(KpiFacts.of(dispatched, acknowledged, false));
        Incident earlierCall =
                Incident.newBuilder(acknowledged).setFirstReportAt(T0.minusSeconds(30)).build();
        facts.addAll(KpiFacts.of(acknowledged, earlierCall, false));

        assertThat(fold(facts, "department:medical").acknowledge).containsExactly(90L);
        assertThat(fold(facts, "city").dispatch).containsExactly(30L);

        // T0 is 10:00 UTC: a first report the evening before moves the incident to that day
        Incident dayBefore =
                Incident.newBuilder(earlierCall)
                        .setFirstReportAt(T0.minus(java.time.Duration.ofHours(11)))
                        .build();
        List<KpiFact> moved = KpiFacts.of(earlierCall, dayBefore, false);
        facts.addAll(moved);
        List<KpiFact> dec8 = facts.stream().filter(f -> f.day.equals("2018-12-08")).toList();
        List<KpiFact> dec7 = facts.stream().filter(f -> f.day.equals("2018-12-07")).toList();
        assertThat(fold(dec8, "department:medical").acknowledge)
                .as("withdrawn from 2018-12-08")
                .isEmpty();
        assertThat(fold(dec7, "department:medical").acknowledge).containsExactly(39660L);
        assertThat(moved)
                .filteredOn(
                        f -> f.group.equals("department:medical") && f.what.equals("acknowledge"))
                .extracting(f -> f.day, f -> f.value, f -> f.retract)
                .containsExactly(
                        tuple("2018-12-08", 90L, true),
                        tuple("2018-12-07", 11 * 3600L + 60, false));
    }

    @Test
    void anIncidentWhoseDistrictChangesMovesItsPhasesToTheNewDistrict() {
        Incident dispatched = lifecycle.dispatch(cardiacArrestInMission(), T0).incident();
        Incident onScene = unit(dispatched, LifecycleAction.ON_SCENE, Department.medical, 300);
        Incident inCastro =
                Incident.newBuilder(onScene)
                        .setLocation(
                                CityLocation.newBuilder(onScene.getLocation())
                                        .setDistrict("Castro/Upper Market")
                                        .build())
                        .build();
        List<KpiFact> facts = new ArrayList<>(KpiFacts.of(dispatched, onScene, false));
        facts.addAll(KpiFacts.of(onScene, inCastro, false));

        assertThat(fold(facts, "district:Mission").onScene).isEmpty();
        assertThat(fold(facts, "district:Castro/Upper Market").onScene).containsExactly(300L);
        assertThat(fold(facts, "city").onScene).containsExactly(300L);
    }

    private Incident unit(
            Incident incident, LifecycleAction action, Department department, long seconds) {
        return lifecycle
                .unitStatus(incident, action, department, "U1", null, T0.plusSeconds(seconds))
                .incident();
    }

    private static DayKpi fold(List<KpiFact> facts, String group) {
        DayKpi day = new DayKpi();
        facts.stream()
                .filter(f -> f.group.equals(group))
                .forEach(
                        f -> {
                            day.group = f.group;
                            day.day = f.day;
                            day.add(f);
                        });
        return day;
    }
}
