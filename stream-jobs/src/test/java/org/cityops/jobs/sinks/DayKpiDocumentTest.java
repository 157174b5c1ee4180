package org.cityops.jobs.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cityops.jobs.kpi.DayKpi;
import org.cityops.jobs.kpi.KpiFact;
import org.cityops.livestate.LiveWrite;
import org.junit.jupiter.api.Test;

class DayKpiDocumentTest {

    private static DayKpi day(String group, String... facts) {
        DayKpi day = new DayKpi();
        day.group = group;
        day.day = "2018-12-08";
        for (String fact : facts) {
            String[] f = fact.split("=");
            day.add(new KpiFact(group, day.day, f[0], Long.parseLong(f[1])));
        }
        return day;
    }

    @Test
    void aRowNamesItsDepartmentAndCarriesRatesAndEachPhasesSpread() throws Exception {
        LiveWrite.KpiWrite write =
                (LiveWrite.KpiWrite)
                        new LiveWrites.OfDayKpi()
                                .toWrite(
                                        day(
                                                "department:fire",
                                                "opened=1",
                                                "opened=1",
                                                "opened=1",
                                                "opened=1",
                                                "closed=1",
                                                "closed=1",
                                                "closedOnTime=1",
                                                "reopened=1",
                                                "onScene=300",
                                                "onScene=420",
                                                "onScene=240",
                                                "satisfaction=4",
                                                "satisfaction=5"));
        JsonNode row = new ObjectMapper().readTree(write.document());

        assertThat(write.version()).as("facts folded in").isEqualTo(13);
        assertThat(row.get("department").asText()).isEqualTo("fire");
        assertThat(row.has("district")).isFalse();
        assertThat(row.get("closureRate").asDouble()).isEqualTo(0.5);
        assertThat(row.get("onTimeRate").asDouble()).isEqualTo(0.5);
        assertThat(row.get("reopenRate").asDouble()).isEqualTo(0.5);
        assertThat(row.get("satisfaction").asDouble()).isEqualTo(4.5);
        assertThat(row.get("onScene").get("count").asInt()).isEqualTo(3);
        assertThat(row.get("onScene").get("median").asLong()).isEqualTo(300);
        assertThat(row.get("onScene").get("p90").asLong()).isEqualTo(420);
        assertThat(row.get("acknowledge").get("count").asInt()).isZero();
    }

    @Test
    void aCityRowNamesNeitherDepartmentNorDistrictAndRatesOfNothingAreNull() throws Exception {
        JsonNode row =
                new ObjectMapper()
                        .readTree(
                                ((LiveWrite.KpiWrite)
                                                new LiveWrites.OfDayKpi()
                                                        .toWrite(day("city", "opened=1")))
                                        .document());
        assertThat(row.has("department")).isFalse();
        assertThat(row.has("district")).isFalse();
        assertThat(row.get("closureRate").asDouble()).isZero();
        assertThat(row.get("onTimeRate").isNull()).isTrue();
    }
}
