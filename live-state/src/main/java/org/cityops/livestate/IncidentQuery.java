package org.cityops.livestate;

/**
 * Filters of the incident list; null means "any". {@code visibleToDepartment} restricts the list to
 * incidents that task that department (a dispatcher's view).
 */
public record IncidentQuery(
        String status,
        String department,
        String district,
        String visibleToDepartment,
        int offset,
        int limit) {

    public static IncidentQuery all(int limit) {
        return new IncidentQuery(null, null, null, null, 0, limit);
    }
}
