package org.cityops.jobs.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KpiFunctionTest {

    static final Instant T0 = Instant.parse("2018-12-08T10:00:00Z");
    private KeyedOneInputStreamOperatorTestHarness<String, KpiFact, DayKpi> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new KpiFunction(), fact -> fact.group, Types.STRING);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void onScene(long seconds, long minutesAfterT0) throws Exception {
        harness.processElement(
                new StreamRecord<>(
                        new KpiFact("department:fire", "2018-12-08", "onScene", seconds)
                                .happenedAt(T0.plusSeconds(minutesAfterT0 * 60))));
    }

    private DayKpi lastOf(String day) {
        List<DayKpi> rows =
                harness.extractOutputValues().stream().filter(r -> r.day.equals(day)).toList();
        return rows.get(rows.size() - 1);
    }

    @Test
    void theDayKeepsEveryFactWhileTheLiveWindowKeepsTheLastHourAndEmptiesWhenTimePasses()
            throws Exception {
        onScene(300, 0);
        onScene(420, 30);
        onScene(600, 70);

        assertThat(lastOf("2018-12-08").onScene).containsExactly(300L, 420L, 600L);
        assertThat(lastOf(KpiFunction.LIVE).onScene)
                .as("the fact of 10:00 left the hour before 11:10")
                .containsExactly(420L, 600L);

        harness.processWatermark(T0.plusSeconds(91 * 60).toEpochMilli());
        assertThat(lastOf(KpiFunction.LIVE).onScene).containsExactly(600L);
        harness.processWatermark(T0.plusSeconds(131 * 60).toEpochMilli());
        assertThat(lastOf(KpiFunction.LIVE).onScene).isEmpty();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(lastOf("2018-12-08").onScene).hasSize(3);
    }

    @Test
    void theLiveRowsVersionGrowsEvenAsItsFactsLeave() throws Exception {
        onScene(300, 0);
        onScene(420, 10);
        long before = lastOf(KpiFunction.LIVE).facts;
        harness.processWatermark(T0.plusSeconds(61 * 60).toEpochMilli());
        DayKpi after = lastOf(KpiFunction.LIVE);
        assertThat(after.onScene).containsExactly(420L);
        assertThat(after.facts).isGreaterThan(before);
    }
}
