package org.cityops.livestate;

/** Ordering of Redis stream ids ("millis-sequence"). */
public final class StreamIds {

    public static final String BEGINNING = "0-0";

    private StreamIds() {}

    public static int compare(String a, String b) {
        long[] x = parse(a);
        long[] y = parse(b);
        int c = Long.compare(x[0], y[0]);
        return c != 0 ? c : Long.compare(x[1], y[1]);
    }

    public static boolean isValid(String id) {
        try {
            parse(id);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static long[] parse(String id) {
        int dash = id.indexOf('-');
        if (dash < 0) {
            return new long[] {Long.parseLong(id), 0};
        }
        return new long[] {
            Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1))
        };
    }
}
