package org.cityops.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.cityops.jobs.TestRecords;
import org.cityops.schemas.Action;
import org.cityops.schemas.Category;
import org.cityops.schemas.Department;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.contract.FeedSpec;
import org.junit.jupiter.api.Test;

class NormaliserTest {

    @Test
    void assignsTheNeighbourhoodByPointInPolygonWhenTheSenderGaveNone() {
        CityEvent event =
                TestRecords.event(
                        FeedSpec.POLICE_CALLS,
                        TestRecords.policeCall("P-1", "2018-12-01T23:34:00Z", "ROBBERY", 1, ""));

        assertThat(event.getLocation().getDistrict()).isEqualTo("Tenderloin");
        assertThat(event.getLocation().getDistrictAssigned()).isTrue();
        assertThat(event.getLocation().getPoliceDistrict()).isEqualTo("TENDERLOIN");
    }

    @Test
    void keepsTheSendersOwnDistrict() {
        String line =
                "{\"callId\":\"P-2\",\"receivedAt\":\"2018-12-01T23:34:00Z\",\"category\":\"THEFT\",\"priority\":3,"
                        + "\"location\":{\"lat\":37.78398,\"lon\":-122.41176,\"district\":\"Central Market\"}}";
        CityEvent event = TestRecords.event(FeedSpec.POLICE_CALLS, line);

        assertThat(event.getLocation().getDistrict()).isEqualTo("Central Market");
        assertThat(event.getLocation().getDistrictAssigned()).isFalse();
    }

    @Test
    void aPointOutsideTheCityHasNoDistrict() {
        String line =
                "{\"callId\":\"P-3\",\"receivedAt\":\"2018-12-01T23:34:00Z\",\"category\":\"THEFT\",\"priority\":3,"
                        + "\"location\":{\"lat\":30.28,\"lon\":-97.74}}";
        CityEvent event = TestRecords.event(FeedSpec.POLICE_CALLS, line);

        assertThat(event.getLocation().getDistrict()).isNull();
        assertThat(event.getLocation().getPoliceDistrict()).isNull();
    }

    @Test
    void mapsEachDepartmentIntoOneTaxonomyAndOneSeverityScale() {
        CityEvent police =
                TestRecords.event(
                        FeedSpec.POLICE_CALLS,
                        TestRecords.policeCall(
                                "P-4", "2018-12-01T23:34:00Z", "TRAFFIC_COLLISION", 1, ""));
        CityEvent medical =
                TestRecords.event(
                        FeedSpec.MEDICAL_CALLS,
                        TestRecords.medicalCall("M-1", "2018-12-01T23:34:00Z", 1));
        CityEvent unknown =
                TestRecords.event(
                        FeedSpec.POLICE_CALLS,
                        TestRecords.policeCall(
                                "P-5", "2018-12-01T23:34:00Z", "Noise complaint", 4, ""));

        assertThat(police.getCategory()).isEqualTo(Category.TRAFFIC_COLLISION);
        assertThat(police.getSeverity()).isEqualTo(5);
        assertThat(police.getDepartment()).isEqualTo(Department.police);
        assertThat(medical.getCategory()).isEqualTo(Category.CARDIAC);
        assertThat(medical.getSeverity()).isEqualTo(5);
        assertThat(unknown.getCategory()).isEqualTo(Category.OTHER);
        assertThat(unknown.getOriginalCategory()).isEqualTo("Noise complaint");
        assertThat(unknown.getSeverity()).isEqualTo(2);
        assertThat(police.getAction()).isEqualTo(Action.NEW);
        assertThat(police.getEventId()).isEqualTo("police.calls/P-4");
    }

    @Test
    void classifiesPersonalDataApartFromTheReport() {
        CityEvent police =
                TestRecords.event(
                        FeedSpec.POLICE_CALLS,
                        TestRecords.policeCall("P-6", "2018-12-01T23:34:00Z", "ROBBERY", 2, ""));
        CityEvent medical =
                TestRecords.event(
                        FeedSpec.MEDICAL_CALLS,
                        TestRecords.medicalCall("M-2", "2018-12-01T23:34:00Z", 2));

        assertThat(police.getPiiFields()).containsExactly("callerPhone", "callerName");
        assertThat(police.getPersonalData().getCallerPhone()).isEqualTo("415-555-0142");
        assertThat(medical.getPiiFields()).containsExactly("patientAge");
        assertThat(medical.getAttributes()).containsEntry("patientCount", "1");
    }

    @Test
    void fireSeverityGrowsWithTheNumberOfAlarms() {
        assertThat(SeverityScale.fromFireAlarm(Category.STRUCTURE_FIRE, 1)).isEqualTo(4);
        assertThat(SeverityScale.fromFireAlarm(Category.STRUCTURE_FIRE, 3)).isEqualTo(5);
        assertThat(SeverityScale.fromFireAlarm(Category.FIRE_ALARM, 1)).isEqualTo(2);
    }
}
