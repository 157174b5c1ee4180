package org.cityops.jobs.rules;

import java.util.HashMap;
import java.util.Map;
import org.cityops.jobs.fusion.IncidentChange;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.contract.FeedSpec;

/** What rules need of a fused report (a Flink POJO): where, when, what, and its incident. */
public class RuleEvent {

    public String eventId;
    public String incidentId;
    public String feed;
    public String department;
    public String category;
    public int severity;
    public double lat;
    public double lon;
    public String district;
    public long time;
    public boolean cancelled;
    public Map<String, String> attributes = new HashMap<>();

    public RuleEvent() {}

    public static RuleEvent of(IncidentChange change) {
        CityEvent e = change.event;
        RuleEvent r = new RuleEvent();
        r.eventId = e.getEventId();
        r.incidentId = change.incidentId;
        r.feed =
                e.getFeed() == org.cityops.schemas.Feed.UNKNOWN
                        ? "cityops.rules"
                        : FeedSpec.of(e.getFeed()).name();
        r.department = e.getDepartment().name();
        r.category = e.getCategory().name();
        r.severity = e.getSeverity();
        r.lat = e.getLocation().getLat();
        r.lon = e.getLocation().getLon();
        r.district = e.getLocation().getDistrict();
        r.time = e.getEventTime().toEpochMilli();
        r.cancelled = e.getAction() == org.cityops.schemas.Action.CANCEL;
        r.attributes = new HashMap<>(e.getAttributes());
        return r;
    }
}
