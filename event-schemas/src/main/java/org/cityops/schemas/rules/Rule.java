package org.cityops.schemas.rules;

import java.util.Optional;

/**
 * A detection rule, parsed and validated ({@link RuleParser}). Four kinds:
 *
 * <ul>
 *   <li>{@code threshold}: at least {@code count} matching reports (or a {@code sum} of an
 *       attribute) within {@code windowSeconds}, grouped by {@code radius} (within {@code
 *       radiusMeters} of one another), {@code district}, {@code category} or {@code cell};
 *   <li>{@code colocation}: reports from at least {@code departments} departments within {@code
 *       radiusMeters} and {@code windowSeconds};
 *   <li>{@code sequence}: a {@code first} report, then a {@code then} report within {@code
 *       withinSeconds} and {@code radiusMeters};
 *   <li>{@code absence}: a {@code first} report not followed by a {@code missing} report within
 *       {@code withinSeconds} and {@code radiusMeters}.
 * </ul>
 */
public record Rule(
        String id,
        int version,
        String description,
        Kind kind,
        boolean enabled,
        boolean dryRun,
        Match match,
        Match second,
        int count,
        String sumAttribute,
        String groupBy,
        double radiusMeters,
        long windowMillis,
        int departments,
        Action action,
        String json) {

    public enum Kind {
        threshold,
        colocation,
        sequence,
        absence
    }

    /** What a firing does; every firing also goes to {@code city.alerts}. */
    public record Action(String type, int severity, String department, String message) {
        public Optional<String> departmentName() {
            return Optional.ofNullable(department);
        }
    }
}
