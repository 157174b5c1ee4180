package org.cityops.schemas.contract;

import java.time.Instant;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.cityops.schemas.Action;
import org.cityops.schemas.FireAlarmSource;
import org.cityops.schemas.Location;
import org.cityops.schemas.TrafficIncidentSource;
import org.cityops.schemas.feeds.FireAlarm;
import org.cityops.schemas.feeds.MedicalCall;
import org.cityops.schemas.feeds.PoliceCall;
import org.cityops.schemas.feeds.TrafficIncident;
import org.cityops.schemas.feeds.TrafficReading;

/**
 * The contract's rules that a type system cannot express: ranges, non-blank identifiers, sane
 * sizes. Applied to the decoded record, so the Avro and the JSON-lines path share every rule.
 */
public final class FeedValidator {

    static final int MAX_ID_LENGTH = 128;
    static final int MAX_SHORT_TEXT = 256;
    static final int MAX_DESCRIPTION = 4000;

    /** Earliest plausible timestamp: anything before is a unit or clock error. */
    static final Instant EARLIEST = Instant.parse("1990-01-01T00:00:00Z");

    private FeedValidator() {}

    public static Optional<Violation> validate(SpecificRecord record) {
        try {
            if (record instanceof PoliceCall c) {
                police(c);
            } else if (record instanceof FireAlarm a) {
                fire(a);
            } else if (record instanceof MedicalCall c) {
                medical(c);
            } else if (record instanceof TrafficIncident t) {
                trafficIncident(t);
            } else if (record instanceof TrafficReading r) {
                reading(r);
            } else {
                throw new IllegalArgumentException("not a feed record: " + record.getClass());
            }
            return Optional.empty();
        } catch (Failed f) {
            return Optional.of(f.violation);
        }
    }

    private static void police(PoliceCall c) throws Failed {
        id("callId", c.getCallId());
        time("receivedAt", c.getReceivedAt());
        if (c.getOccurredAt() != null) {
            time("occurredAt", c.getOccurredAt());
        }
        text("category", c.getCategory(), MAX_SHORT_TEXT, true);
        range("priority", c.getPriority(), 1, 4);
        location(c.getLocation());
        optionalText("callerPhone", c.getCallerPhone(), MAX_SHORT_TEXT);
        optionalText("callerName", c.getCallerName(), MAX_SHORT_TEXT);
        optionalText("description", c.getDescription(), MAX_DESCRIPTION);
        action(c.getAction());
    }

    private static void fire(FireAlarm a) throws Failed {
        id("alarmId", a.getAlarmId());
        time("receivedAt", a.getReceivedAt());
        if (a.getSource() == FireAlarmSource.UNKNOWN) {
            throw new Failed(
                    "source",
                    "must be one of CALL, AUTOMATIC_DETECTOR, MANUAL_PULL, SPRINKLER_FLOW");
        }
        text("category", a.getCategory(), MAX_SHORT_TEXT, true);
        range("alarmLevel", a.getAlarmLevel(), 1, 5);
        location(a.getLocation());
        optionalText("buildingId", a.getBuildingId(), MAX_ID_LENGTH);
        optionalText("detectorId", a.getDetectorId(), MAX_ID_LENGTH);
        optionalText("callerPhone", a.getCallerPhone(), MAX_SHORT_TEXT);
        optionalText("description", a.getDescription(), MAX_DESCRIPTION);
        action(a.getAction());
    }

    private static void medical(MedicalCall c) throws Failed {
        id("callId", c.getCallId());
        time("receivedAt", c.getReceivedAt());
        text("complaint", c.getComplaint(), MAX_SHORT_TEXT, true);
        range("acuity", c.getAcuity(), 1, 4);
        if (c.getPatientCount() != null) {
            range("patientCount", c.getPatientCount(), 1, 10_000);
        }
        location(c.getLocation());
        if (c.getPatientAge() != null) {
            range("patientAge", c.getPatientAge(), 0, 130);
        }
        optionalText("callerPhone", c.getCallerPhone(), MAX_SHORT_TEXT);
        optionalText("description", c.getDescription(), MAX_DESCRIPTION);
        action(c.getAction());
    }

    private static void trafficIncident(TrafficIncident t) throws Failed {
        id("reportId", t.getReportId());
        time("detectedAt", t.getDetectedAt());
        text("type", t.getType(), MAX_SHORT_TEXT, true);
        range("severity", t.getSeverity(), 1, 5);
        location(t.getLocation());
        optionalText("segmentId", t.getSegmentId(), MAX_ID_LENGTH);
        if (t.getLanesBlocked() != null) {
            range("lanesBlocked", t.getLanesBlocked(), 0, 64);
        }
        if (t.getSource() == TrafficIncidentSource.UNKNOWN) {
            throw new Failed("source", "must be one of CAMERA, PATROL, CALL, SENSOR");
        }
        action(t.getAction());
    }

    private static void reading(TrafficReading r) throws Failed {
        id("segmentId", r.getSegmentId());
        time("observedAt", r.getObservedAt());
        number("speedKmh", r.getSpeedKmh(), 0, 500, true);
        if (r.getFreeFlowKmh() != null) {
            number("freeFlowKmh", r.getFreeFlowKmh(), 0, 500, false);
        }
        if (r.getFlowVph() != null) {
            range("flowVph", r.getFlowVph(), 0, 100_000);
        }
        if (r.getOccupancyPct() != null) {
            number("occupancyPct", r.getOccupancyPct(), 0, 100, true);
        }
        location(r.getLocation());
        optionalText("sensorId", r.getSensorId(), MAX_ID_LENGTH);
    }

    private static void location(Location location) throws Failed {
        number("location.lat", location.getLat(), -90, 90, true);
        number("location.lon", location.getLon(), -180, 180, true);
        optionalText("location.address", location.getAddress(), MAX_SHORT_TEXT);
        optionalText("location.district", location.getDistrict(), MAX_SHORT_TEXT);
    }

    private static void action(Action action) throws Failed {
        if (action == Action.UNKNOWN) {
            throw new Failed("action", "must be one of NEW, UPDATE, CANCEL");
        }
    }

    private static void id(String field, String value) throws Failed {
        text(field, value, MAX_ID_LENGTH, true);
    }

    private static void text(String field, String value, int max, boolean required) throws Failed {
        if (value == null || value.isBlank()) {
            if (required) {
                throw new Failed(field, "must not be blank");
            }
            return;
        }
        if (value.length() > max) {
            throw new Failed(
                    field,
                    "is " + value.length() + " characters long, at most " + max + " allowed");
        }
    }

    private static void optionalText(String field, String value, int max) throws Failed {
        if (value != null && value.length() > max) {
            throw new Failed(
                    field,
                    "is " + value.length() + " characters long, at most " + max + " allowed");
        }
    }

    private static void time(String field, Instant value) throws Failed {
        if (value.isBefore(EARLIEST)) {
            throw new Failed(
                    field,
                    "is "
                            + value
                            + ", before "
                            + EARLIEST
                            + ": milliseconds mistaken for seconds?");
        }
    }

    private static void range(String field, int value, int min, int max) throws Failed {
        if (value < min || value > max) {
            throw new Failed(field, "must be between " + min + " and " + max + ", was " + value);
        }
    }

    private static void number(String field, double value, double min, double max, boolean minIncl)
            throws Failed {
        boolean aboveMin = minIncl ? value >= min : value > min;
        if (!Double.isFinite(value) || !aboveMin || value > max) {
            throw new Failed(
                    field,
                    "must be "
                            + (minIncl
                                    ? "between " + fmt(min)
                                    : "above " + fmt(min) + " and at most")
                            + (minIncl ? " and " : " ")
                            + fmt(max)
                            + ", was "
                            + value);
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static final class Failed extends Exception {
        private final Violation violation;

        Failed(String field, String reason) {
            super(reason, null, false, false);
            this.violation = Violation.of(field, reason);
        }
    }
}
