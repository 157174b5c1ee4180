package org.cityops.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;
import java.util.function.Predicate;
import org.cityops.schemas.geo.Geo;

/**
 * Search and order over incident documents, for what the live view's indexes do not answer:
 * category, minimum severity, a time range of the last report, free text (title, address, category,
 * report descriptions and categories) and distance from a point.
 */
final class IncidentSearch {

    private IncidentSearch() {}

    static Predicate<ObjectNode> filter(IncidentListParams p) {
        Predicate<ObjectNode> all = doc -> true;
        if (p.category() != null) {
            all = all.and(doc -> doc.path("category").asText().equals(p.category()));
        }
        if (p.minSeverity() != null) {
            all = all.and(doc -> doc.path("severity").asInt() >= p.minSeverity());
        }
        if (p.from() != null) {
            all = all.and(doc -> !lastReport(doc).isBefore(p.from()));
        }
        if (p.to() != null) {
            all = all.and(doc -> lastReport(doc).isBefore(p.to()));
        }
        if (p.text() != null) {
            String needle = p.text().toLowerCase(Locale.ROOT);
            all = all.and(doc -> text(doc).contains(needle));
        }
        if (p.near() != null) {
            all =
                    all.and(
                            doc ->
                                    Geo.meters(
                                                    p.near().lat(),
                                                    p.near().lon(),
                                                    doc.path("location").path("lat").asDouble(),
                                                    doc.path("location").path("lon").asDouble())
                                            <= p.near().meters());
        }
        return all;
    }

    static Comparator<ObjectNode> order(String sort) {
        boolean descending = sort.startsWith("-");
        String field = descending ? sort.substring(1) : sort;
        Comparator<ObjectNode> by =
                switch (field) {
                    case "severity" -> Comparator.comparingInt(d -> d.path("severity").asInt());
                    case "firstReportAt" ->
                            Comparator.comparing(
                                    d -> Instant.parse(d.path("firstReportAt").asText()));
                    default -> Comparator.comparing(IncidentSearch::lastReport);
                };
        by = descending ? by.reversed() : by;
        return by.thenComparing(d -> d.path("incidentId").asText());
    }

    private static Instant lastReport(ObjectNode doc) {
        return Instant.parse(doc.path("lastReportAt").asText());
    }

    private static String text(ObjectNode doc) {
        StringBuilder s =
                new StringBuilder(doc.path("title").asText())
                        .append(' ')
                        .append(doc.path("category").asText())
                        .append(' ')
                        .append(doc.path("location").path("address").asText());
        for (JsonNode report : doc.withArray("reports")) {
            s.append(' ')
                    .append(report.path("description").asText())
                    .append(' ')
                    .append(report.path("originalCategory").asText())
                    .append(' ')
                    .append(report.path("sourceId").asText());
        }
        return s.toString().toLowerCase(Locale.ROOT);
    }
}
