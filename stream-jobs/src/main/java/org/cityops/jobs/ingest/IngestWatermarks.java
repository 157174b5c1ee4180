package org.cityops.jobs.ingest;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event-time watermarks for the feeds: bounded out-of-orderness, idleness so a silent feed does not
 * stall event time, and dead letters ignored (their only time is arrival time, which would race
 * ahead of replayed event time).
 */
public final class IngestWatermarks {

    private IngestWatermarks() {}

    public static WatermarkStrategy<IngestRecord> strategy(
            Duration outOfOrderness, Duration idleness) {
        WatermarkStrategy<IngestRecord> strategy =
                WatermarkStrategy.<IngestRecord>forGenerator(
                                context ->
                                        new AcceptedOnly(
                                                new BoundedOutOfOrdernessWatermarks<>(
                                                        outOfOrderness)))
                        .withTimestampAssigner((record, previous) -> record.eventTimeMillis());
        return strategy.withIdleness(idleness);
    }

    /**
     * Time by arrival (the Kafka timestamp), for CAP messages: their own times may be years old (a
     * replayed 2013 tsunami message) and must not hold back the reports' event time.
     */
    public static WatermarkStrategy<IngestRecord> byArrival(Duration idleness) {
        return WatermarkStrategy.<IngestRecord>forMonotonousTimestamps()
                .withTimestampAssigner((record, previous) -> record.receivedAt)
                .withIdleness(idleness);
    }

    private static final class AcceptedOnly implements WatermarkGenerator<IngestRecord> {
        private final WatermarkGenerator<IngestRecord> delegate;

        AcceptedOnly(WatermarkGenerator<IngestRecord> delegate) {
            this.delegate = delegate;
        }

        @Override
        public void onEvent(IngestRecord record, long timestamp, WatermarkOutput output) {
            if (record.isAccepted()) {
                delegate.onEvent(record, timestamp, output);
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            delegate.onPeriodicEmit(output);
        }
    }
}
