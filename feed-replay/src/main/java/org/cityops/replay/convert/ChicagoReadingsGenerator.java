package org.cityops.replay.convert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code traffic.readings} generated from the Chicago Traffic Tracker segment snapshot (n4j6-wkkf):
 * each segment with a real speed estimate keeps its id, length-weighted midpoint (moved into San
 * Francisco's box, {@link Relocation#CHICAGO}) and its observed speed as a baseline; readings every
 * interval follow a daily profile with morning and evening rush-hour dips and seeded noise. The
 * segments and baselines are real; the time series is synthetic.
 */
public final class ChicagoReadingsGenerator {

    private ChicagoReadingsGenerator() {}

    public static List<String> generate(
            Path csv, int segments, ZonedDateTime from, ZonedDateTime to, Duration interval) {
        List<Map<String, String>> usable = new ArrayList<>();
        for (Map<String, String> row : CsvRows.read(csv)) {
            if (Double.parseDouble(row.get("CURRENT_SPEED")) > 0) {
                usable.add(row);
            }
        }
        usable.sort(Comparator.comparingInt(r -> Integer.parseInt(r.get("SEGMENTID"))));
        List<Map<String, String>> chosen = usable.subList(0, Math.min(segments, usable.size()));
        List<SfFireEmsConverter.Converted> readings = new ArrayList<>();
        for (Map<String, String> segment : chosen) {
            String id = "CHI-" + segment.get("SEGMENTID");
            double lat =
                    (Double.parseDouble(segment.get("START_LATITUDE"))
                                    + Double.parseDouble(segment.get("END_LATITUDE")))
                            / 2;
            double lon =
                    (Double.parseDouble(segment.get("START_LONGITUDE"))
                                    + Double.parseDouble(segment.get("END_LONGITUDE")))
                            / 2;
            if (!Relocation.CHICAGO.covers(lat, lon)) {
                continue;
            }
            double[] sf = Relocation.CHICAGO.toSanFrancisco(lat, lon);
            double baseline = Double.parseDouble(segment.get("CURRENT_SPEED")) * 1.609344;
            double freeFlow = Math.max(40, Math.round(baseline * 1.25));
            Random noise = new Random(id.hashCode());
            for (ZonedDateTime t = from; t.isBefore(to); t = t.plus(interval)) {
                double hour = t.getHour() + t.getMinute() / 60.0;
                double profile = 1 - 0.45 * bump(hour, 8.0, 1.2) - 0.5 * bump(hour, 17.5, 1.4);
                double speed = Math.max(2, freeFlow * profile * (0.92 + 0.16 * noise.nextDouble()));
                ObjectNode reading =
                        Json.object()
                                .put("segmentId", id)
                                .put("observedAt", Json.timestamp(t))
                                .put("speedKmh", Math.round(speed * 10) / 10.0)
                                .put("freeFlowKmh", freeFlow)
                                .put(
                                        "flowVph",
                                        (int) (300 + 900 * (1 - profile) + noise.nextInt(120)))
                                .put(
                                        "occupancyPct",
                                        Math.round((5 + 60 * (1 - profile)) * 10) / 10.0);
                reading.set(
                        "location",
                        Json.location(
                                sf[0],
                                sf[1],
                                segment.get("STREET") + " " + segment.get("DIRECTION")));
                reading.put("sensorId", "tracker-" + segment.get("SEGMENTID"));
                readings.add(new SfFireEmsConverter.Converted(t, reading.toString()));
            }
        }
        return SfFireEmsConverter.sorted(readings);
    }

    private static double bump(double x, double centre, double width) {
        double z = (x - centre) / width;
        return Math.exp(-z * z);
    }
}
