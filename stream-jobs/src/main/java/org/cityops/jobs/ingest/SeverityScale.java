package org.cityops.jobs.ingest;

import org.cityops.schemas.Category;

/**
 * One severity scale for all departments: 1 (minor) to 5 (life-threatening or major). Police
 * priority and EMS acuity run the other way (1 = most urgent); fire severity grows with the number
 * of alarms from a base that depends on what is burning.
 */
public final class SeverityScale {

    private SeverityScale() {}

    /** Police priority 1..4 (1 = most urgent). */
    public static int fromPolicePriority(int priority) {
        return 6 - priority;
    }

    /** EMS acuity 1..4 (1 = immediately life-threatening). */
    public static int fromMedicalAcuity(int acuity) {
        return 6 - acuity;
    }

    /** Fire alarm level 1..5 on top of a base for the category. */
    public static int fromFireAlarm(Category category, int alarmLevel) {
        int base =
                switch (category) {
                    case STRUCTURE_FIRE, HAZMAT, RESCUE -> 4;
                    case VEHICLE_FIRE, OUTSIDE_FIRE -> 3;
                    default -> 2;
                };
        return Math.min(5, base + alarmLevel - 1);
    }

    /** Traffic severity is already 1..5 with 5 most severe. */
    public static int fromTrafficSeverity(int severity) {
        return severity;
    }
}
