package org.cityops.jobs.kpi;

import java.time.Instant;

/**
 * One lifecycle fact for the KPIs (a Flink POJO): for a group ("city", "department:police",
 * "district:Mission") and a day, a phase duration in seconds or a count.
 */
public class KpiFact {

    public String group;
    public String day;

    /**
     * dispatch, acknowledge, enRoute, onScene, resolve, close; or opened, closed, closedOnTime,
     * breach, reopened, satisfaction.
     */
    public String what;

    public long value;

    /**
     * A phase duration counted before for the same incident that this one replaces (a unit reported
     * an earlier time late); null for a new fact.
     */
    public Long replaces;

    /**
     * Withdraws {@code value}, counted before for the same incident (its day or district changed,
     * or it no longer holds).
     */
    public boolean retract;

    /** Event time the fact happened (a phase reached, an incident closed): for the live window. */
    public long at;

    public KpiFact() {}

    public KpiFact(String group, String day, String what, long value) {
        this.group = group;
        this.day = day;
        this.what = what;
        this.value = value;
    }

    public KpiFact replacing(Long earlierValue) {
        this.replaces = earlierValue;
        return this;
    }

    public KpiFact retracting() {
        this.retract = true;
        return this;
    }

    public KpiFact happenedAt(Instant when) {
        this.at = when.toEpochMilli();
        return this;
    }
}
