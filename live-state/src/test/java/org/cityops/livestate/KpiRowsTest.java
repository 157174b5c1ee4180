package org.cityops.livestate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KpiRowsTest {

    @Test
    void medianAndNinetiethPercentileAreNearestRank() {
        List<Long> sorted = List.of(30L, 60L, 90L, 120L, 180L, 240L, 300L, 420L, 600L, 900L);
        assertThat(KpiRows.nearestRank(sorted, 50)).isEqualTo(180);
        assertThat(KpiRows.nearestRank(sorted, 90)).isEqualTo(600);
        assertThat(KpiRows.nearestRank(List.of(), 50)).isZero();
    }

    @Test
    void daysMergeIntoOneRowWhosePercentilesAreOfAllTheirDurationsNotOfTheirMedians() {
        ObjectNode saturday =
                KpiRows.row(
                        "department:fire",
                        "2018-12-08",
                        "2018-12-08",
                        Map.of("opened", 2L, "closed", 1L, "closedOnTime", 1L),
                        Map.of("onScene", List.of(100L, 200L)));
        ObjectNode sunday =
                KpiRows.row(
                        "department:fire",
                        "2018-12-09",
                        "2018-12-09",
                        Map.of(
                                "opened",
                                2L,
                                "closed",
                                2L,
                                "satisfactionCount",
                                1L,
                                "satisfactionSum",
                                4L),
                        Map.of("onScene", List.of(900L, 300L, 400L)));

        ObjectNode week = KpiRows.merge("department:fire", List.of(sunday, saturday));

        assertThat(week.get("department").asText()).isEqualTo("fire");
        assertThat(week.get("from").asText()).isEqualTo("2018-12-08");
        assertThat(week.get("to").asText()).isEqualTo("2018-12-09");
        assertThat(week.has("day")).isFalse();
        assertThat(week.get("opened").asLong()).isEqualTo(4);
        assertThat(week.get("closureRate").asDouble()).isEqualTo(0.75);
        assertThat(week.get("onTimeRate").asDouble()).isEqualTo(1.0 / 3);
        assertThat(week.get("satisfaction").asDouble()).isEqualTo(4.0);
        // 100 200 300 400 900: median 300 (daily medians were 100 and 400)
        assertThat(week.get("onScene").get("count").asInt()).isEqualTo(5);
        assertThat(week.get("onScene").get("median").asLong()).isEqualTo(300);
        assertThat(week.get("onScene").get("p90").asLong()).isEqualTo(900);
        assertThat(KpiRows.published(week).has("seconds")).isFalse();
        assertThat(KpiRows.row("city", "d", "d", Map.of(), Map.of()).has("department")).isFalse();
    }
}
