package org.cityops.jobs.feedhealth;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class FeedHealthFunctionTest {

    @Test
    void countsOutcomesAndPublishesThemOncePerInterval() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, FeedOutcome, FeedHealth> harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new FeedHealthFunction(250), o -> o.feed, Types.STRING)) {
            harness.setProcessingTime(1_000);
            harness.processElement(
                    new StreamRecord<>(
                            FeedOutcome.of("police.calls", FeedOutcome.ACCEPTED, 10, null)));
            harness.processElement(
                    new StreamRecord<>(
                            FeedOutcome.of("police.calls", FeedOutcome.ACCEPTED, 30, null)));
            harness.processElement(
                    new StreamRecord<>(
                            FeedOutcome.of("police.calls", FeedOutcome.DUPLICATE, 20, null)));
            harness.processElement(
                    new StreamRecord<>(
                            FeedOutcome.of(
                                    "police.calls",
                                    FeedOutcome.REJECTED,
                                    25,
                                    "priority: must be between 1 and 4, was 7")));
            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

            harness.setProcessingTime(1_250);

            assertThat(harness.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            h -> {
                                assertThat(h.accepted).isEqualTo(2);
                                assertThat(h.duplicates).isEqualTo(1);
                                assertThat(h.rejected).isEqualTo(1);
                                assertThat(h.lastReceivedAt).isEqualTo(30);
                                assertThat(h.lastRejectReason).contains("priority");
                            });
            assertThat(harness.numProcessingTimeTimers()).isZero();
        }
    }
}
