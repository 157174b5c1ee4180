package org.cityops.replay;

/** How fast to replay: event time × factor, or as fast as Kafka takes it ({@code max}). */
public record Speed(double factor) {

    public static final Speed MAX = new Speed(Double.POSITIVE_INFINITY);
    public static final Speed REALTIME = new Speed(1.0);

    public static Speed parse(String text) {
        if ("max".equalsIgnoreCase(text)) {
            return MAX;
        }
        if ("realtime".equalsIgnoreCase(text)) {
            return REALTIME;
        }
        try {
            double factor = Double.parseDouble(text);
            if (factor > 0 && Double.isFinite(factor)) {
                return new Speed(factor);
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error below
        }
        throw new IllegalArgumentException(
                "--speed must be realtime, max or a positive number, was '" + text + "'");
    }

    public boolean isMax() {
        return Double.isInfinite(factor);
    }

    @Override
    public String toString() {
        return isMax() ? "max" : factor == 1.0 ? "realtime" : factor + "x";
    }
}
