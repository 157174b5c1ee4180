package org.cityops.jobs.fusion;

/**
 * Where and when an active report of a cluster was, and what it was about: what fusion matches on.
 */
public class ReportPoint {

    public String eventId;
    public String category;
    public double lat;
    public double lon;
    public long time;

    public ReportPoint() {}

    public ReportPoint(String eventId, String category, double lat, double lon, long time) {
        this.eventId = eventId;
        this.category = category;
        this.lat = lat;
        this.lon = lon;
        this.time = time;
    }
}
