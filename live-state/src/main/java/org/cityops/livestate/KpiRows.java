package org.cityops.livestate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * KPI rows (docs/lifecycle.md): the job stores one per group and day with its counters and each
 * phase's durations kept whole; a reader gets one row per group for a range of days, merged here,
 * with count, median and 90th percentile (nearest rank) per phase and the rates. Medians of several
 * days cannot be made from daily medians, hence the whole durations.
 */
public final class KpiRows {

    public static final List<String> PHASES =
            List.of("dispatch", "acknowledge", "enRoute", "onScene", "resolve", "close");
    public static final List<String> COUNTERS =
            List.of(
                    "opened",
                    "closed",
                    "closedOnTime",
                    "breaches",
                    "reopened",
                    "satisfactionCount",
                    "satisfactionSum");

    private static final ObjectMapper JSON = new ObjectMapper();

    private KpiRows() {}

    /**
     * A row of {@code group} ("city", "department:fire", "district:Mission") covering {@code from}
     * to {@code to}: counters, derived figures, and (under "seconds") each phase's durations.
     */
    public static ObjectNode row(
            String group,
            String from,
            String to,
            Map<String, Long> counters,
            Map<String, List<Long>> seconds) {
        int colon = group.indexOf(':');
        ObjectNode row = JSON.createObjectNode().put("group", group);
        if (colon > 0) {
            // a row names its department or district; a city row names neither
            row.put(group.substring(0, colon), group.substring(colon + 1));
        }
        row.put("from", from).put("to", to);
        if (from.equals(to)) {
            row.put("day", from);
        }
        COUNTERS.forEach(c -> row.put(c, counters.getOrDefault(c, 0L)));
        long opened = counters.getOrDefault("opened", 0L);
        long closed = counters.getOrDefault("closed", 0L);
        long scored = counters.getOrDefault("satisfactionCount", 0L);
        row.put("closureRate", rate(closed, opened));
        row.put("onTimeRate", rate(counters.getOrDefault("closedOnTime", 0L), closed));
        row.put("reopenRate", rate(counters.getOrDefault("reopened", 0L), closed));
        row.put(
                "satisfaction",
                scored == 0 ? null : (double) counters.get("satisfactionSum") / scored);
        ObjectNode raw = JSON.createObjectNode();
        for (String phase : PHASES) {
            List<Long> sorted = new ArrayList<>(seconds.getOrDefault(phase, List.of()));
            Collections.sort(sorted);
            row.putObject(phase)
                    .put("count", sorted.size())
                    .put("median", nearestRank(sorted, 50))
                    .put("p90", nearestRank(sorted, 90));
            sorted.forEach(raw.putArray(phase)::add);
        }
        row.set("seconds", raw);
        return row;
    }

    /** One row of {@code group} from its stored day rows (at least one). */
    public static ObjectNode merge(String group, List<ObjectNode> days) {
        Map<String, Long> counters = new LinkedHashMap<>();
        Map<String, List<Long>> seconds = new LinkedHashMap<>();
        String from = null;
        String to = null;
        for (ObjectNode day : days) {
            String first = day.path("from").asText();
            String last = day.path("to").asText();
            from = from == null || first.compareTo(from) < 0 ? first : from;
            to = to == null || last.compareTo(to) > 0 ? last : to;
            COUNTERS.forEach(c -> counters.merge(c, day.path(c).asLong(), Long::sum));
            for (String phase : PHASES) {
                List<Long> all = seconds.computeIfAbsent(phase, p -> new ArrayList<>());
                day.path("seconds").path(phase).forEach(v -> all.add(v.asLong()));
            }
        }
        return row(group, from, to, counters, seconds);
    }

    /** The row as readers get it: without the raw durations. */
    public static ObjectNode published(ObjectNode row) {
        ObjectNode copy = row.deepCopy();
        copy.remove("seconds");
        return copy;
    }

    /** The nearest-rank percentile of sorted values; 0 when there are none. */
    public static long nearestRank(List<Long> sorted, int percentile) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static Double rate(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }
}
