package org.cityops.screen;

import io.vertx.core.MultiMap;
import java.util.List;

/**
 * What a screen subscribed to, besides what its token allows: one district, one department, a
 * minimum severity ({@code /ws/screen?district=Mission&department=fire&minSeverity=3}). Empty: the
 * whole city. An incident that stops matching stays on the screen until it changes out of view.
 */
record ScreenFilter(String district, String department, int minSeverity) {

    static final ScreenFilter ALL = new ScreenFilter(null, null, 0);

    /** From the upgrade request's query; a bad value is refused with its reason. */
    static ScreenFilter from(MultiMap query) {
        String district = query.get("district");
        if (district != null && (district.isBlank() || district.length() > 100)) {
            throw new IllegalArgumentException(
                    "district must be a district name (1-100 characters)");
        }
        String department = query.get("department");
        if (department != null && org.cityops.access.Tokens.department(department).isEmpty()) {
            throw new IllegalArgumentException(
                    "department must be one of police, fire, medical, traffic");
        }
        int minSeverity = 0;
        String severity = query.get("minSeverity");
        if (severity != null) {
            try {
                minSeverity = Integer.parseInt(severity);
            } catch (NumberFormatException e) {
                minSeverity = -1;
            }
            if (minSeverity < 1 || minSeverity > 5) {
                throw new IllegalArgumentException("minSeverity must be 1 to 5");
            }
        }
        return new ScreenFilter(district, department, minSeverity);
    }

    boolean matches(String incidentDistrict, List<String> departments, int severity) {
        return (district == null || district.equals(incidentDistrict))
                && (department == null || departments.contains(department))
                && severity >= minSeverity;
    }
}
