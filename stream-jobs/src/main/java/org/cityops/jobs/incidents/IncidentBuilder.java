package org.cityops.jobs.incidents;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.CRC32;
import org.cityops.schemas.Category;
import org.cityops.schemas.CityLocation;
import org.cityops.schemas.city.CityEvent;

/** Incident ids and titles. */
public final class IncidentBuilder {

    private IncidentBuilder() {}

    /** A URL-safe incident id derived from the report: stable, readable, unique per report. */
    public static String incidentIdFor(CityEvent event) {
        String code =
                switch (event.getFeed()) {
                    case POLICE_CALLS -> "POL";
                    case FIRE_ALARMS -> "FIR";
                    case MEDICAL_CALLS -> "MED";
                    case TRAFFIC_INCIDENTS -> "TRF";
                    default -> "EVT";
                };
        String id = event.getSourceId();
        String safe = id.replaceAll("[^A-Za-z0-9._-]", "_");
        if (!safe.equals(id)) {
            CRC32 crc = new CRC32();
            crc.update(id.getBytes(StandardCharsets.UTF_8));
            safe = safe + "-" + Long.toHexString(crc.getValue());
        }
        return "INC-" + code + "-" + safe;
    }

    /** "Structure fire — 200 Block of EDDY ST": what happened and where, for screens and lists. */
    static String title(Category category, CityLocation location) {
        String what = humanize(category);
        String where =
                location == null
                        ? null
                        : location.getAddress() != null
                                ? location.getAddress()
                                : location.getDistrict();
        return where == null ? what : what + " — " + where;
    }

    private static String humanize(Category category) {
        String words = category.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
