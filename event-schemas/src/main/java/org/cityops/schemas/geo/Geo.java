package org.cityops.schemas.geo;

/** Distances on the Earth's surface (haversine; metres). */
public final class Geo {

    static final double EARTH_RADIUS_M = 6_371_008.8;

    private Geo() {}

    public static double meters(double lat1, double lon1, double lat2, double lon2) {
        double p1 = Math.toRadians(lat1);
        double p2 = Math.toRadians(lat2);
        double dp = p2 - p1;
        double dl = Math.toRadians(lon2 - lon1);
        double a =
                Math.sin(dp / 2) * Math.sin(dp / 2)
                        + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
        return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    /** Degrees of latitude spanning {@code meters}. */
    public static double latDegrees(double meters) {
        return Math.toDegrees(meters / EARTH_RADIUS_M);
    }

    /** Degrees of longitude spanning {@code meters} at latitude {@code lat}. */
    public static double lonDegrees(double meters, double lat) {
        return latDegrees(meters) / Math.max(0.01, Math.cos(Math.toRadians(lat)));
    }
}
