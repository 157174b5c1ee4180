package org.cityops.api;

import io.vertx.core.MultiMap;
import java.util.Arrays;
import org.cityops.access.Tokens;
import org.cityops.schemas.IncidentStatus;

/** The query of {@code GET /api/v1/incidents}, validated: a bad value is a 400 naming the field. */
record IncidentListParams(
        String status, String department, String district, int offset, int limit) {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    static IncidentListParams from(MultiMap query) {
        String status = query.get("status");
        if (status != null
                && (status.equals(IncidentStatus.UNKNOWN.name())
                        || Arrays.stream(IncidentStatus.values())
                                .noneMatch(s -> s.name().equals(status)))) {
            throw ApiException.badRequest(
                    "status",
                    "status must be one of DISCOVERED, DISPATCHED, IN_PROGRESS, RESOLVED, CLOSED, CANCELLED, MERGED");
        }
        String department = query.get("department");
        if (department != null && Tokens.department(department).isEmpty()) {
            throw ApiException.badRequest(
                    "department", "department must be one of police, fire, medical, traffic");
        }
        String district = query.get("district");
        if (district != null && (district.isBlank() || district.length() > 100)) {
            throw ApiException.badRequest(
                    "district", "district must be a district name of 1 to 100 characters");
        }
        int limit = integer(query, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        int offset = integer(query, "offset", 0, 0, 1_000_000);
        return new IncidentListParams(status, department, district, offset, limit);
    }

    static int integer(MultiMap query, String name, int fallback, int min, int max) {
        String text = query.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw ApiException.badRequest(
                        name, name + " must be between " + min + " and " + max + ", was " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(
                    name, name + " must be a whole number, was '" + text + "'");
        }
    }
}
