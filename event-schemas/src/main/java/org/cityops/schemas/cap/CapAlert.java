package org.cityops.schemas.cap;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A CAP 1.2 alert message as CityOps reads and writes it (OASIS CAP 1.2, section 3): the fields
 * CityOps acts on, in the standard's names. Times keep the sender's offset, as CAP requires.
 */
public record CapAlert(
        String identifier,
        String sender,
        OffsetDateTime sent,
        String status,
        String msgType,
        String source,
        String scope,
        String note,
        List<Reference> references,
        String incidents,
        List<Info> infos) {

    /** An earlier message this one updates or cancels: {@code sender,identifier,sent}. */
    public record Reference(String sender, String identifier, OffsetDateTime sent) {
        public String key() {
            return sender + "/" + identifier;
        }

        public String text() {
            return sender + "," + identifier + "," + CapMessages.format(sent);
        }
    }

    /** One {@code info} block (one language's description of the event). */
    public record Info(
            String language,
            List<String> categories,
            String event,
            List<String> responseTypes,
            String urgency,
            String severity,
            String certainty,
            OffsetDateTime effective,
            OffsetDateTime onset,
            OffsetDateTime expires,
            String senderName,
            String headline,
            String description,
            String instruction,
            String web,
            String contact,
            List<ValuePair> parameters,
            List<Area> areas) {}

    public record ValuePair(String valueName, String value) {}

    /**
     * An affected area: polygons and circles as CAP writes them ({@code "lat,lon lat,lon …"},
     * {@code "lat,lon radiusKm"}), geocodes as name/value pairs (FIPS, SAME, UGC…).
     */
    public record Area(
            String areaDesc,
            List<String> polygons,
            List<String> circles,
            List<ValuePair> geocodes) {}

    /** The message this one is about: itself for an Alert, else the first (original) reference. */
    public String rootKey() {
        if (("Update".equals(msgType) || "Cancel".equals(msgType)) && !references.isEmpty()) {
            return references.get(0).key();
        }
        return sender + "/" + identifier;
    }

    /** Test, Exercise, System and Draft messages never alarm anyone. */
    public boolean isActual() {
        return "Actual".equals(status);
    }
}
