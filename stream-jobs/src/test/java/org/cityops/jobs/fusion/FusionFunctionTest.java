package org.cityops.jobs.fusion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.cityops.schemas.Category;
import org.cityops.schemas.Feed;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.city.CommandKind;
import org.cityops.schemas.city.DeadLetter;
import org.cityops.schemas.city.FeedbackCommand;
import org.cityops.schemas.serde.AvroCodec;
import org.junit.jupiter.api.Test;

class FusionFunctionTest {

    @Test
    void keyedStateAndTimersAreClearedOnceClustersAreForgotten() throws Exception {
        try (KeyedTwoInputStreamOperatorTestHarness<
                        String, CityEvent, FeedbackCommand, IncidentChange>
                harness = harness()) {
            CityEvent a =
                    FusionEngineTest.at(
                            "police.calls",
                            "A",
                            Category.VIOLENT_CRIME,
                            0,
                            0,
                            "2018-12-08T10:00:00Z");
            CityEvent b =
                    FusionEngineTest.at(
                            "medical.calls", "B", Category.TRAUMA, 30, 0, "2018-12-08T10:02:00Z");
            harness.processElement1(new StreamRecord<>(a, a.getEventTime().toEpochMilli()));
            harness.processElement1(new StreamRecord<>(b, b.getEventTime().toEpochMilli()));

            assertThat(harness.extractOutputValues())
                    .extracting(c -> c.incidentId)
                    .containsOnly("INC-POL-A");
            assertThat(harness.numKeyedStateEntries()).isPositive();
            assertThat(harness.numEventTimeTimers())
                    .as("one close and one forget timer; stale ones deleted")
                    .isEqualTo(2);

            harness.processBothWatermarks(
                    new Watermark(Instant.parse("2018-12-08T12:00:00Z").toEpochMilli()));
            assertThat(harness.numKeyedStateEntries()).as("closed but remembered").isPositive();

            harness.processBothWatermarks(
                    new Watermark(Instant.parse("2018-12-09T00:00:00Z").toEpochMilli()));
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aUnitStatusWhoseReportNeverCameIsDeadLetteredWholeAndLeavesNoStateBehind()
            throws Exception {
        try (KeyedTwoInputStreamOperatorTestHarness<
                        String, CityEvent, FeedbackCommand, IncidentChange>
                harness = harness()) {
            FeedbackCommand orphan =
                    FusionEngineTest.unitStatus("s1", CommandKind.ON_SCENE, "SFFD-404", 60);
            harness.processElement2(new StreamRecord<>(orphan, orphan.getAt().toEpochMilli()));
            assertThat(harness.numKeyedStateEntries()).as("waiting for its report").isPositive();

            harness.processBothWatermarks(
                    new Watermark(orphan.getAt().toEpochMilli() + FusionEngine.REMEMBER_MILLIS));

            assertThat(harness.extractOutputValues()).isEmpty();
            var deadLetters =
                    harness.getSideOutput(org.cityops.jobs.IngestDescriptors.UNRESOLVED_STATUSES);
            assertThat(deadLetters).hasSize(1);
            DeadLetter letter = deadLetters.peek().getValue();
            assertThat(letter.getFeed()).isEqualTo(Feed.MEDICAL_CALLS);
            assertThat(letter.getTopic()).isEqualTo("dispatch.feedback");
            assertThat(letter.getReason())
                    .contains("ON_SCENE", "medical.calls/SFFD-404", "no such report");
            assertThat(AvroCodec.of(FeedbackCommand.class).decode(letter.getPayload().array()))
                    .as("the whole command, to resend once its report exists")
                    .isEqualTo(orphan);
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, CityEvent, FeedbackCommand, IncidentChange>
            harness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
                new FusionFunction(FusionConfig.defaults()),
                new FusionRegion.OfEvent(),
                new FusionRegion.OfCommand(),
                Types.STRING);
    }

    @Test
    void clusterStateIsAPojoFlinkSerialisesWithoutKryo() {
        TypeInformation<Cluster> type = TypeInformation.of(Cluster.class);
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<Cluster> pojo = (PojoTypeInfo<Cluster>) type;
        for (int i = 0; i < pojo.getArity(); i++) {
            assertThat(pojo.getTypeAt(i))
                    .as(pojo.getPojoFieldAt(i).getField().getName())
                    .isNotInstanceOf(GenericTypeInfo.class);
        }
        assertThat(TypeInformation.of(IncidentChange.class)).isInstanceOf(PojoTypeInfo.class);
    }
}
