package org.cityops.jobs.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.cityops.schemas.Action;
import org.cityops.schemas.Category;
import org.cityops.schemas.CityLocation;
import org.cityops.schemas.Location;
import org.cityops.schemas.PersonalData;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.contract.FeedSpec;
import org.cityops.schemas.feeds.FireAlarm;
import org.cityops.schemas.feeds.MedicalCall;
import org.cityops.schemas.feeds.PoliceCall;
import org.cityops.schemas.feeds.TrafficIncident;

/**
 * Turns an accepted report of any department into a {@link CityEvent}: department, unified
 * category, one severity scale, a district (the sender's, else by point-in-polygon), personal data
 * set apart and named, and the feed's own details kept as attributes.
 */
public final class Normaliser {

    private final DistrictIndex districts;

    public Normaliser(DistrictIndex districts) {
        this.districts = districts;
    }

    public CityEvent normalise(FeedSpec<?> spec, SpecificRecord record, long fingerprint) {
        CityEvent.Builder event =
                CityEvent.newBuilder()
                        .setFeed(spec.feed())
                        .setDepartment(spec.department())
                        .setFingerprint(fingerprint);
        Map<String, String> attributes = new LinkedHashMap<>();
        String id;
        Action action;
        Instant time;
        String original;
        Category category;
        int severity;
        Location location;
        PersonalData personal = null;

        if (record instanceof PoliceCall c) {
            id = c.getCallId();
            action = c.getAction();
            time = c.getReceivedAt();
            original = c.getCategory();
            category = CategoryTaxonomy.classify(spec.feed(), original);
            severity = SeverityScale.fromPolicePriority(c.getPriority());
            location = c.getLocation();
            event.setDescription(c.getDescription());
            attributes.put("priority", String.valueOf(c.getPriority()));
            if (c.getOccurredAt() != null) {
                attributes.put("occurredAt", c.getOccurredAt().toString());
            }
            personal = personal(c.getCallerPhone(), c.getCallerName(), null);
        } else if (record instanceof FireAlarm a) {
            id = a.getAlarmId();
            action = a.getAction();
            time = a.getReceivedAt();
            original = a.getCategory();
            category = CategoryTaxonomy.classify(spec.feed(), original);
            severity = SeverityScale.fromFireAlarm(category, a.getAlarmLevel());
            location = a.getLocation();
            event.setDescription(a.getDescription());
            attributes.put("source", a.getSource().name());
            attributes.put("alarmLevel", String.valueOf(a.getAlarmLevel()));
            putIfPresent(attributes, "buildingId", a.getBuildingId());
            putIfPresent(attributes, "detectorId", a.getDetectorId());
            personal = personal(a.getCallerPhone(), null, null);
        } else if (record instanceof MedicalCall c) {
            id = c.getCallId();
            action = c.getAction();
            time = c.getReceivedAt();
            original = c.getComplaint();
            category = CategoryTaxonomy.classify(spec.feed(), original);
            severity = SeverityScale.fromMedicalAcuity(c.getAcuity());
            location = c.getLocation();
            event.setDescription(c.getDescription());
            attributes.put("acuity", String.valueOf(c.getAcuity()));
            attributes.put("patientCount", String.valueOf(c.getPatientCount()));
            personal = personal(c.getCallerPhone(), null, c.getPatientAge());
        } else if (record instanceof TrafficIncident t) {
            id = t.getReportId();
            action = t.getAction();
            time = t.getDetectedAt();
            original = t.getType();
            category = CategoryTaxonomy.classify(spec.feed(), original);
            severity = SeverityScale.fromTrafficSeverity(t.getSeverity());
            location = t.getLocation();
            putIfPresent(attributes, "segmentId", t.getSegmentId());
            if (t.getLanesBlocked() != null) {
                attributes.put("lanesBlocked", String.valueOf(t.getLanesBlocked()));
            }
            if (t.getSource() != null) {
                attributes.put("source", t.getSource().name());
            }
        } else {
            throw new IllegalArgumentException(spec.name() + " records are not reports");
        }

        return event.setEventId(eventId(spec, id))
                .setSourceId(id)
                .setAction(action)
                .setCategory(category)
                .setOriginalCategory(original)
                .setSeverity(severity)
                .setEventTime(time)
                .setLocation(cityLocation(location))
                .setPersonalData(personal)
                .setPiiFields(piiFields(personal))
                .setAttributes(attributes)
                .build();
    }

    /** The event id of a sender's record: stable across its UPDATE and CANCEL. */
    public static String eventId(FeedSpec<?> spec, String senderId) {
        return spec.name() + "/" + senderId;
    }

    public CityLocation cityLocation(Location location) {
        double lat = location.getLat();
        double lon = location.getLon();
        String sender = location.getDistrict();
        boolean senderGaveOne = sender != null && !sender.isBlank();
        String district =
                senderGaveOne ? sender.strip() : districts.neighborhoodAt(lat, lon).orElse(null);
        return CityLocation.newBuilder()
                .setLat(lat)
                .setLon(lon)
                .setAddress(location.getAddress())
                .setDistrict(district)
                .setDistrictAssigned(!senderGaveOne && district != null)
                .setPoliceDistrict(districts.policeDistrictAt(lat, lon).orElse(null))
                .build();
    }

    private static PersonalData personal(String phone, String name, Integer age) {
        if (phone == null && name == null && age == null) {
            return null;
        }
        return new PersonalData(phone, name, age);
    }

    private static List<String> piiFields(PersonalData personal) {
        List<String> fields = new ArrayList<>();
        if (personal != null) {
            if (personal.getCallerPhone() != null) {
                fields.add("callerPhone");
            }
            if (personal.getCallerName() != null) {
                fields.add("callerName");
            }
            if (personal.getPatientAge() != null) {
                fields.add("patientAge");
            }
        }
        return fields;
    }

    private static void putIfPresent(Map<String, String> attributes, String key, String value) {
        if (value != null) {
            attributes.put(key, value);
        }
    }
}
