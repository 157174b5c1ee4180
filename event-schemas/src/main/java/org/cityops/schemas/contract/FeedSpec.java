package org.cityops.schemas.contract;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.cityops.schemas.Department;
import org.cityops.schemas.Feed;
import org.cityops.schemas.feeds.FireAlarm;
import org.cityops.schemas.feeds.MedicalCall;
import org.cityops.schemas.feeds.PoliceCall;
import org.cityops.schemas.feeds.TrafficIncident;
import org.cityops.schemas.feeds.TrafficReading;

/**
 * What the feed contract says about one feed: its wire name (also its topic's base name), its
 * record class, the department that owns it, and which fields identify and time a record.
 */
public record FeedSpec<T extends SpecificRecord>(
        Feed feed,
        String name,
        Class<T> recordClass,
        Schema schema,
        Department department,
        String idField,
        String timeField) {

    public static final FeedSpec<PoliceCall> POLICE_CALLS =
            new FeedSpec<>(
                    Feed.POLICE_CALLS,
                    "police.calls",
                    PoliceCall.class,
                    PoliceCall.getClassSchema(),
                    Department.police,
                    "callId",
                    "receivedAt");
    public static final FeedSpec<FireAlarm> FIRE_ALARMS =
            new FeedSpec<>(
                    Feed.FIRE_ALARMS,
                    "fire.alarms",
                    FireAlarm.class,
                    FireAlarm.getClassSchema(),
                    Department.fire,
                    "alarmId",
                    "receivedAt");
    public static final FeedSpec<MedicalCall> MEDICAL_CALLS =
            new FeedSpec<>(
                    Feed.MEDICAL_CALLS,
                    "medical.calls",
                    MedicalCall.class,
                    MedicalCall.getClassSchema(),
                    Department.medical,
                    "callId",
                    "receivedAt");
    public static final FeedSpec<TrafficIncident> TRAFFIC_INCIDENTS =
            new FeedSpec<>(
                    Feed.TRAFFIC_INCIDENTS,
                    "traffic.incidents",
                    TrafficIncident.class,
                    TrafficIncident.getClassSchema(),
                    Department.traffic,
                    "reportId",
                    "detectedAt");

    /** Readings have no id of their own: a segment's reading is identified by its segment. */
    public static final FeedSpec<TrafficReading> TRAFFIC_READINGS =
            new FeedSpec<>(
                    Feed.TRAFFIC_READINGS,
                    "traffic.readings",
                    TrafficReading.class,
                    TrafficReading.getClassSchema(),
                    Department.traffic,
                    "segmentId",
                    "observedAt");

    private static final List<FeedSpec<?>> ALL =
            List.of(POLICE_CALLS, FIRE_ALARMS, MEDICAL_CALLS, TRAFFIC_INCIDENTS, TRAFFIC_READINGS);

    public static List<FeedSpec<?>> all() {
        return ALL;
    }

    public static FeedSpec<?> of(Feed feed) {
        return ALL.stream()
                .filter(spec -> spec.feed == feed)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no feed " + feed));
    }

    /** The feed whose contract name is {@code name}, e.g. {@code police.calls}. */
    public static Optional<FeedSpec<?>> byName(String name) {
        return ALL.stream().filter(spec -> spec.name.equals(name)).findFirst();
    }

    /** The sender's identifier of a record of this feed. */
    public String idOf(SpecificRecord record) {
        return String.valueOf(record.get(schema.getField(idField).pos()));
    }

    /** True for the high-volume sensor feed, which is not a report of an incident. */
    public boolean isSensorFeed() {
        return feed == Feed.TRAFFIC_READINGS;
    }
}
