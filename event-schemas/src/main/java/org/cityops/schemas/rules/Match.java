package org.cityops.schemas.rules;

import java.util.Map;
import java.util.Set;

/**
 * Which reports a rule looks at. Empty sets match anything; {@code attributes} must all be equal to
 * the report's (e.g. {@code "source": "AUTOMATIC_DETECTOR"}).
 */
public record Match(
        Set<String> categories,
        Set<String> departments,
        Set<String> feeds,
        int minSeverity,
        Map<String, String> attributes) {

    public boolean matches(
            String category,
            String department,
            String feed,
            int severity,
            Map<String, String> attrs) {
        return (categories.isEmpty() || categories.contains(category))
                && (departments.isEmpty() || departments.contains(department))
                && (feeds.isEmpty() || feeds.contains(feed))
                && severity >= minSeverity
                && attributes.entrySet().stream()
                        .allMatch(e -> e.getValue().equals(attrs.get(e.getKey())));
    }
}
