package org.cityops.jobs.fusion;

import java.util.ArrayList;
import java.util.List;

/**
 * The reports fused into one incident, as fusion needs them. Open until {@code closesAt} (event
 * time): reports may still fuse in. Then closed but remembered until {@code forgetAt}, so updates,
 * cancellations, merges, splits and late reports still find their incident; then forgotten.
 */
public class Cluster {

    public String incidentId;

    /** Active (not cancelled) reports: fusion matches new reports against these. */
    public List<ReportPoint> points = new ArrayList<>();

    /** Every report that belongs to the incident, cancelled ones included. */
    public List<String> eventIds = new ArrayList<>();

    public long lastTime;
    public long closesAt;
    public long forgetAt;

    public Cluster() {}

    public Cluster(String incidentId) {
        this.incidentId = incidentId;
    }

    public boolean isOpenAt(long watermark) {
        return watermark < closesAt;
    }
}
