package org.cityops.replay.convert;

/**
 * Moves coordinates from another city's core into San Francisco's by a linear map between two
 * boxes, so real traffic data from Austin or Chicago can be shown on the SF screen. The spatial
 * pattern is real; the SF street positions are not. Used only where a dataset's SOURCE says so.
 */
record Relocation(double fromMinLat, double fromMaxLat, double fromMinLon, double fromMaxLon) {

    static final double SF_MIN_LAT = 37.715;
    static final double SF_MAX_LAT = 37.805;
    static final double SF_MIN_LON = -122.505;
    static final double SF_MAX_LON = -122.392;

    static final Relocation AUSTIN = new Relocation(30.15, 30.50, -97.90, -97.60);
    static final Relocation CHICAGO = new Relocation(41.65, 42.02, -87.85, -87.52);

    boolean covers(double lat, double lon) {
        return lat >= fromMinLat && lat <= fromMaxLat && lon >= fromMinLon && lon <= fromMaxLon;
    }

    double[] toSanFrancisco(double lat, double lon) {
        double y = (lat - fromMinLat) / (fromMaxLat - fromMinLat);
        double x = (lon - fromMinLon) / (fromMaxLon - fromMinLon);
        return new double[] {
            round(SF_MIN_LAT + y * (SF_MAX_LAT - SF_MIN_LAT)),
            round(SF_MIN_LON + x * (SF_MAX_LON - SF_MIN_LON))
        };
    }

    private static double round(double degrees) {
        return Math.round(degrees * 1e6) / 1e6;
    }
}
