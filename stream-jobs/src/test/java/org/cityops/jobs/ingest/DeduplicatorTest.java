package org.cityops.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.cityops.jobs.IngestDescriptors;
import org.cityops.jobs.TestRecords;
import org.cityops.jobs.feedhealth.FeedOutcome;
import org.cityops.schemas.contract.FeedSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeduplicatorTest {

    private KeyedOneInputStreamOperatorTestHarness<String, IngestRecord, IngestRecord> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new Deduplicator(), r -> r.dedupKey, Types.STRING);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static IngestRecord report(String line) {
        return IngestRecord.accepted(
                "police.calls", TestRecords.event(FeedSpec.POLICE_CALLS, line), 1L);
    }

    @Test
    void anExactRepeatProducesNoSecondEventAndCountsAsADuplicate() throws Exception {
        String line = TestRecords.policeCall("P-1", "2018-12-01T23:34:00Z", "ROBBERY", 2, "");
        harness.processElement(new StreamRecord<>(report(line), 1));
        harness.processElement(new StreamRecord<>(report(line), 2));

        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(harness.getSideOutput(IngestDescriptors.OUTCOMES))
                .extracting(r -> r.getValue().kind)
                .containsExactly(FeedOutcome.ACCEPTED, FeedOutcome.DUPLICATE);
    }

    @Test
    void anUpdateWithNewContentAndTheSameIdPasses() throws Exception {
        harness.processElement(
                new StreamRecord<>(
                        report(
                                TestRecords.policeCall(
                                        "P-1", "2018-12-01T23:34:00Z", "ROBBERY", 2, "")),
                        1));
        harness.processElement(
                new StreamRecord<>(
                        report(
                                TestRecords.policeCall(
                                        "P-1",
                                        "2018-12-01T23:35:00Z",
                                        "ROBBERY",
                                        1,
                                        ",\"action\":\"UPDATE\"")),
                        2));
        harness.processElement(
                new StreamRecord<>(
                        report(
                                TestRecords.policeCall(
                                        "P-2", "2018-12-01T23:34:00Z", "ROBBERY", 2, "")),
                        3));

        assertThat(harness.extractOutputValues())
                .extracting(r -> r.event.getSourceId())
                .containsExactly("P-1", "P-1", "P-2");
    }

    @Test
    void remembersOnlyTheLastFewVersionsOfAnId() throws Exception {
        for (int priority = 0; priority < 20; priority++) {
            String line =
                    TestRecords.policeCall(
                            "P-1",
                            "2018-12-01T23:34:" + (10 + priority) + "Z",
                            "ROBBERY",
                            2,
                            ",\"action\":\"UPDATE\"");
            harness.processElement(new StreamRecord<>(report(line), priority));
        }
        assertThat(harness.extractOutputValues()).hasSize(20);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    }
}
