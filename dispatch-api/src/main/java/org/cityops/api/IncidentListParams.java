package org.cityops.api;

import io.vertx.core.MultiMap;
import java.time.Instant;

/**
 * The query of {@code GET /api/v1/incidents}. Shapes and ranges are checked by the OpenAPI contract
 * before this is built (openapi.yaml), so this only reads them.
 */
record IncidentListParams(
        String status,
        String department,
        String district,
        String category,
        Integer minSeverity,
        Instant from,
        Instant to,
        String text,
        Near near,
        String sort,
        int offset,
        int limit) {

    static final String DEFAULT_SORT = "-lastReportAt";

    /** Within {@code meters} of a point. */
    record Near(double lat, double lon, double meters) {}

    /** True when the live view's indexes alone answer the query (no search, default order). */
    boolean indexOnly() {
        return category == null
                && minSeverity == null
                && from == null
                && to == null
                && text == null
                && near == null
                && sort.equals(DEFAULT_SORT);
    }

    static IncidentListParams from(MultiMap query) {
        Near near = null;
        if (query.get("near") != null) {
            String[] parts = query.get("near").split(",");
            near =
                    new Near(
                            Double.parseDouble(parts[0]),
                            Double.parseDouble(parts[1]),
                            Double.parseDouble(parts[2]));
        }
        return new IncidentListParams(
                query.get("status"),
                query.get("department"),
                query.get("district"),
                query.get("category"),
                query.get("minSeverity") == null ? null : Integer.valueOf(query.get("minSeverity")),
                query.get("from") == null ? null : Instant.parse(query.get("from")),
                query.get("to") == null ? null : Instant.parse(query.get("to")),
                query.get("q"),
                near,
                query.get("sort") == null ? DEFAULT_SORT : query.get("sort"),
                integer(query, "offset", 0),
                integer(query, "limit", 50));
    }

    static int integer(MultiMap query, String name, int fallback) {
        String text = query.get(name);
        return text == null ? fallback : Integer.parseInt(text);
    }
}
