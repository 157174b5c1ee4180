package org.cityops.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.cityops.access.AccessDenied;
import org.cityops.access.Reader;
import org.cityops.livestate.Documents;
import org.cityops.livestate.KpiRows;
import org.cityops.livestate.LiveView;

/**
 * KPIs of the city, each department or each district over a range of days, or the last hour (see
 * docs/lifecycle.md): one row per group. Operators, leaders and admins see all; a department's
 * dispatchers and supervisor see their department's. Blocking.
 */
final class KpiReads {

    private static final String LIVE = "live";
    private static final Set<String> GROUPINGS = Set.of("city", "department", "district");

    private final LiveView live;

    KpiReads(LiveView live) {
        this.live = live;
    }

    JsonObject kpis(Reader reader, MultiMap query) {
        String by = query.get("by") == null ? "city" : query.get("by");
        if (!GROUPINGS.contains(by)) {
            throw ApiException.badRequest(
                    "by", "by must be city, department or district, was '" + by + "'");
        }
        String window = query.get("window");
        if (window != null && !window.equals("live")) {
            throw ApiException.badRequest(
                    "window", "window must be live (the last hour), was '" + window + "'");
        }
        if (window != null && (query.get("from") != null || query.get("to") != null)) {
            throw ApiException.badRequest("window", "window=live takes no from or to");
        }
        LocalDate from = day(query, "from", LocalDate.of(1, 1, 1));
        LocalDate to = day(query, "to", LocalDate.of(9999, 12, 31));
        if (from.isAfter(to)) {
            throw ApiException.badRequest("from", "from must not be after to");
        }
        // the live window's rows carry the day "live"
        String first = window != null ? LIVE : from.toString();
        String last = window != null ? LIVE : to.toString();
        String department = reader.restrictedToDepartment();
        String prefix = by.equals("city") ? "city" : by + ":";
        if (department != null) {
            if (!by.equals("department")) {
                throw AccessDenied.forbidden(
                        "a department's staff read their department's KPIs: use by=department");
            }
            prefix = "department:" + department;
        }
        // one row per group over the whole range: the days' durations merged, not their medians
        Map<String, List<ObjectNode>> byGroup = new TreeMap<>();
        for (String doc : live.kpis(prefix, first, last)) {
            ObjectNode day = Documents.parse(doc);
            String group = day.path("group").asText();
            if (department == null || group.equals(prefix)) {
                byGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(day);
            }
        }
        JsonArray rows = new JsonArray();
        byGroup.forEach(
                (group, days) ->
                        rows.add(
                                new JsonObject(
                                        KpiRows.published(KpiRows.merge(group, days)).toString())));
        return new JsonObject().put("by", by).put("items", rows);
    }

    private static LocalDate day(MultiMap query, String name, LocalDate fallback) {
        String text = query.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            // an instant selects its UTC day: KPI days are UTC days of the first report
            return text.contains("T")
                    ? Instant.parse(text).atZone(ZoneOffset.UTC).toLocalDate()
                    : LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(
                    name,
                    name
                            + " must be a day like 2018-12-08 or an instant like"
                            + " 2018-12-08T10:00:00Z, was '"
                            + text
                            + "'");
        }
    }
}
