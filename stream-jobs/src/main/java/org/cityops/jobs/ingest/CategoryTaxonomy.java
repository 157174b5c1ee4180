package org.cityops.jobs.ingest;

import java.util.Locale;
import java.util.Map;
import org.cityops.schemas.Category;
import org.cityops.schemas.Feed;

/**
 * Maps each department's own category text into the unified taxonomy, so that a police
 * TRAFFIC_COLLISION, a medical TRAFFIC_INJURY and a traffic COLLISION are one category. Unknown
 * texts map to OTHER (MEDICAL_OTHER for medical calls); the original text is kept on the event.
 */
public final class CategoryTaxonomy {

    private static final Map<String, Category> POLICE =
            Map.of(
                    "ROBBERY", Category.VIOLENT_CRIME,
                    "ASSAULT", Category.VIOLENT_CRIME,
                    "SHOTS_FIRED", Category.SHOOTING,
                    "BURGLARY", Category.PROPERTY_CRIME,
                    "THEFT", Category.PROPERTY_CRIME,
                    "TRAFFIC_COLLISION", Category.TRAFFIC_COLLISION,
                    "DISTURBANCE", Category.PUBLIC_ORDER,
                    "SUSPICIOUS", Category.SUSPICIOUS_ACTIVITY,
                    "MISSING_PERSON", Category.MISSING_PERSON);

    private static final Map<String, Category> FIRE =
            Map.of(
                    "STRUCTURE_FIRE", Category.STRUCTURE_FIRE,
                    "VEHICLE_FIRE", Category.VEHICLE_FIRE,
                    "OUTSIDE_FIRE", Category.OUTSIDE_FIRE,
                    "ALARM", Category.FIRE_ALARM,
                    "GAS_LEAK", Category.HAZMAT,
                    "HAZMAT", Category.HAZMAT,
                    "ELECTRICAL_HAZARD", Category.HAZMAT,
                    "RESCUE", Category.RESCUE,
                    "WATER_RESCUE", Category.RESCUE);

    private static final Map<String, Category> MEDICAL =
            Map.ofEntries(
                    Map.entry("CARDIAC_ARREST", Category.CARDIAC),
                    Map.entry("CHEST_PAIN", Category.CARDIAC),
                    Map.entry("BREATHING", Category.BREATHING),
                    Map.entry("STROKE", Category.STROKE),
                    Map.entry("TRAUMA", Category.TRAUMA),
                    Map.entry("FALL", Category.TRAUMA),
                    Map.entry("OVERDOSE", Category.OVERDOSE),
                    Map.entry("BURN", Category.BURN),
                    Map.entry("UNCONSCIOUS", Category.UNCONSCIOUS),
                    Map.entry("TRAFFIC_INJURY", Category.TRAFFIC_COLLISION));

    private static final Map<String, Category> TRAFFIC =
            Map.of(
                    "COLLISION", Category.TRAFFIC_COLLISION,
                    "STALLED_VEHICLE", Category.TRAFFIC_OBSTRUCTION,
                    "HAZARD", Category.TRAFFIC_OBSTRUCTION,
                    "ROAD_CLOSURE", Category.ROAD_CLOSURE,
                    "CONGESTION", Category.CONGESTION,
                    "FLOODING", Category.FLOODING,
                    "SIGNAL_FAILURE", Category.SIGNAL_FAILURE);

    private CategoryTaxonomy() {}

    public static Category classify(Feed feed, String original) {
        String key = original.strip().toUpperCase(Locale.ROOT).replace(' ', '_');
        return switch (feed) {
            case POLICE_CALLS -> POLICE.getOrDefault(key, Category.OTHER);
            case FIRE_ALARMS -> FIRE.getOrDefault(key, Category.OTHER);
            case MEDICAL_CALLS -> MEDICAL.getOrDefault(key, Category.MEDICAL_OTHER);
            case TRAFFIC_INCIDENTS -> TRAFFIC.getOrDefault(key, Category.OTHER);
            default -> Category.OTHER;
        };
    }
}
