package org.cityops.jobs.fusion;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.cityops.schemas.geo.Geo;

/**
 * Cells of about {@code cellMeters} for finding clusters near a point. Only a lookup aid: a query
 * returns every cluster with a report in any cell the search circle touches, so where cell
 * boundaries fall never decides whether two reports fuse — the distance check does.
 */
final class GridIndex {

    private final double cellLat;
    private final double referenceLat;
    private final double cellLon;
    private final Map<Long, Set<String>> cells = new HashMap<>();

    GridIndex(double cellMeters, double referenceLat) {
        this.referenceLat = referenceLat;
        this.cellLat = Geo.latDegrees(cellMeters);
        this.cellLon = Geo.lonDegrees(cellMeters, referenceLat);
    }

    void add(String clusterId, double lat, double lon) {
        cells.computeIfAbsent(key(row(lat), col(lon)), k -> new HashSet<>()).add(clusterId);
    }

    void remove(String clusterId, double lat, double lon) {
        long key = key(row(lat), col(lon));
        Set<String> ids = cells.get(key);
        if (ids != null) {
            ids.remove(clusterId);
            if (ids.isEmpty()) {
                cells.remove(key);
            }
        }
    }

    Set<String> near(double lat, double lon, double radiusMeters) {
        double dLat = Geo.latDegrees(radiusMeters);
        double dLon = Geo.lonDegrees(radiusMeters, Math.max(Math.abs(lat), Math.abs(referenceLat)));
        Set<String> found = new HashSet<>();
        for (long r = row(lat - dLat); r <= row(lat + dLat); r++) {
            for (long c = col(lon - dLon); c <= col(lon + dLon); c++) {
                Set<String> ids = cells.get(key(r, c));
                if (ids != null) {
                    found.addAll(ids);
                }
            }
        }
        return found;
    }

    private long row(double lat) {
        return (long) Math.floor(lat / cellLat);
    }

    private long col(double lon) {
        return (long) Math.floor(lon / cellLon);
    }

    private static long key(long row, long col) {
        return (row << 32) ^ (col & 0xffffffffL);
    }
}
