package org.cityops.bench;

import java.time.Instant;
import java.util.SplittableRandom;
import org.apache.avro.specific.SpecificRecord;
import org.cityops.schemas.FireAlarmSource;
import org.cityops.schemas.Location;
import org.cityops.schemas.contract.FeedSpec;
import org.cityops.schemas.feeds.FireAlarm;
import org.cityops.schemas.feeds.MedicalCall;
import org.cityops.schemas.feeds.PoliceCall;
import org.cityops.schemas.feeds.TrafficReading;

/**
 * A realistic mix for San Francisco: sensor readings from a fixed set of road segments far
 * outnumber calls (which come at a city's rate, a few to a few dozen a second, whatever the total
 * rate), readings mostly free-flowing, and calls cluster in space and time — each belongs to one of
 * a few live "events" (a fire, a crash, a fight) that draws several calls from police, EMS and fire
 * within minutes and a few hundred metres, so fusion and the rules have work. Every call's id
 * carries its sequence number ({@code B<seq>}), so a screen that receives its incident can tell how
 * long it took. Deterministic for a seed.
 */
final class LoadMix {

    static final int SEGMENTS = 2_000;
    static final int LIVE_EVENTS = 50;
    static final int CALLS_PER_EVENT = 6;

    /** One record to send: its feed, key and record. {@code seq} ≥ 0 for a call. */
    record Item(FeedSpec<?> feed, String key, SpecificRecord record, long seq) {}

    private final SplittableRandom random;
    private final double[][] events = new double[LIVE_EVENTS][2];
    private final int[] callsLeft = new int[LIVE_EVENTS];
    private long calls;

    LoadMix(long seed) {
        random = new SplittableRandom(seed);
        for (int i = 0; i < LIVE_EVENTS; i++) {
            newEvent(i);
        }
    }

    private void newEvent(int i) {
        events[i][0] = 37.72 + random.nextDouble() * 0.08; // inside the city
        events[i][1] = -122.50 + random.nextDouble() * 0.12;
        callsLeft[i] = 1 + random.nextInt(CALLS_PER_EVENT);
    }

    /** The next record: a call when {@code call}, else a sensor reading. */
    Item next(Instant now, boolean isCall) {
        if (!isCall) {
            int segment = random.nextInt(SEGMENTS);
            TrafficReading reading =
                    TrafficReading.newBuilder()
                            .setSegmentId("SEG-" + segment)
                            .setObservedAt(now)
                            // free flow give or take; a few segments (every 50th) crawl
                            .setSpeedKmh(
                                    segment % 50 == 0
                                            ? 10 + random.nextDouble() * 8
                                            : 42 + random.nextDouble() * 14)
                            .setFreeFlowKmh(50.0)
                            .setLocation(
                                    Location.newBuilder()
                                            .setLat(37.71 + (segment % 100) * 0.0009)
                                            .setLon(-122.51 + (segment / 100) * 0.007)
                                            .build())
                            .build();
            return new Item(FeedSpec.TRAFFIC_READINGS, reading.getSegmentId(), reading, -1);
        }
        long seq = calls++;
        int e = random.nextInt(LIVE_EVENTS);
        if (--callsLeft[e] <= 0) {
            newEvent(e);
        }
        Location at =
                Location.newBuilder()
                        .setLat(events[e][0] + (random.nextDouble() - 0.5) * 0.002)
                        .setLon(events[e][1] + (random.nextDouble() - 0.5) * 0.002)
                        .build();
        String id = "B" + seq;
        int kind = random.nextInt(20);
        if (kind < 10) {
            PoliceCall call =
                    PoliceCall.newBuilder()
                            .setCallId(id)
                            .setReceivedAt(now)
                            .setCategory(kind < 5 ? "ASSAULT" : "TRAFFIC_COLLISION")
                            .setPriority(1 + random.nextInt(4))
                            .setLocation(at)
                            .build();
            return new Item(FeedSpec.POLICE_CALLS, id, call, seq);
        }
        if (kind < 17) {
            MedicalCall call =
                    MedicalCall.newBuilder()
                            .setCallId(id)
                            .setReceivedAt(now)
                            .setComplaint(kind < 14 ? "TRAUMA" : "TRAFFIC_INJURY")
                            .setAcuity(1 + random.nextInt(4))
                            .setLocation(at)
                            .build();
            return new Item(FeedSpec.MEDICAL_CALLS, id, call, seq);
        }
        FireAlarm alarm =
                FireAlarm.newBuilder()
                        .setAlarmId(id)
                        .setReceivedAt(now)
                        .setSource(FireAlarmSource.CALL)
                        .setCategory("STRUCTURE_FIRE")
                        .setAlarmLevel(1 + random.nextInt(3))
                        .setLocation(at)
                        .build();
        return new Item(FeedSpec.FIRE_ALARMS, id, alarm, seq);
    }
}
