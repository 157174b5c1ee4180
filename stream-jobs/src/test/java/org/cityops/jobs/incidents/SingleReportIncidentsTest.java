package org.cityops.jobs.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.cityops.jobs.TestRecords;
import org.cityops.schemas.IncidentStatus;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.city.Incident;
import org.cityops.schemas.contract.FeedSpec;
import org.junit.jupiter.api.Test;

class SingleReportIncidentsTest {

    @Test
    void newUpdateAndCancelOfOneReportAreVersionsOfOneIncident() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, CityEvent, Incident> harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new SingleReportIncidents(), e -> e.getEventId(), Types.STRING)) {
            harness.processElement(new StreamRecord<>(event("", "2018-12-01T23:34:00Z", 3), 1));
            harness.processElement(
                    new StreamRecord<>(
                            event(",\"action\":\"UPDATE\"", "2018-12-01T23:36:00Z", 1), 2));
            harness.processElement(
                    new StreamRecord<>(
                            event(",\"action\":\"CANCEL\"", "2018-12-01T23:40:00Z", 1), 3));

            assertThat(harness.extractOutputValues())
                    .extracting(Incident::getVersion, Incident::getStatus, Incident::getSeverity)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(1L, IncidentStatus.DISCOVERED, 3),
                            org.assertj.core.groups.Tuple.tuple(2L, IncidentStatus.DISCOVERED, 5),
                            org.assertj.core.groups.Tuple.tuple(3L, IncidentStatus.CANCELLED, 5));
            Incident last = harness.extractOutputValues().get(2);
            assertThat(last.getIncidentId()).isEqualTo("INC-POL-P-77");
            assertThat(last.getReports()).hasSize(1);
            assertThat(last.getReports().get(0).getSourceId()).isEqualTo("P-77");
            assertThat(last.getFirstReportAt().toString()).isEqualTo("2018-12-01T23:34:00Z");
            assertThat(last.getLastReportAt().toString()).isEqualTo("2018-12-01T23:40:00Z");
        }
    }

    @Test
    void incidentIdsAreUrlSafeAndDistinct() {
        CityEvent a =
                TestRecords.event(
                        FeedSpec.POLICE_CALLS,
                        TestRecords.policeCall("A/1", "2018-12-01T23:34:00Z", "THEFT", 3, ""));
        CityEvent b =
                TestRecords.event(
                        FeedSpec.POLICE_CALLS,
                        TestRecords.policeCall("A 1", "2018-12-01T23:34:00Z", "THEFT", 3, ""));

        assertThat(IncidentBuilder.incidentIdFor(a))
                .matches("[A-Za-z0-9._-]+")
                .isNotEqualTo(IncidentBuilder.incidentIdFor(b));
    }

    private static CityEvent event(String extra, String time, int priority) {
        return TestRecords.event(
                FeedSpec.POLICE_CALLS,
                TestRecords.policeCall("P-77", time, "ROBBERY", priority, extra));
    }
}
