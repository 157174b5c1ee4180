package org.cityops.replay.convert;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * {@code ./cityops convert demo DATASETS_DIR OUT_DIR}: converts the shared open datasets into the
 * bundled demo slice (one San Francisco day, every feed), as contract JSON lines. {@code ./cityops
 * convert sf-fire CSV OUT_DIR}: any SF fire/EMS calls CSV into the fire and medical feeds plus the
 * first unit's statuses as {@code dispatch.feedback.jsonl}.
 */
public final class ConvertMain {

    /** The demo day: a Saturday covered by both the police and the fire/EMS December 2018 data. */
    public static final LocalDate DEMO_DAY = LocalDate.of(2018, 12, 8);

    /** The Austin day moved onto the demo day (a busy one in the data). */
    public static final LocalDate AUSTIN_DAY = LocalDate.of(2020, 5, 12);

    private ConvertMain() {}

    public static void main(String[] args) {
        if (args.length != 3 || !List.of("demo", "december-2018", "sf-fire").contains(args[0])) {
            System.err.println(
                    "usage: cityops convert demo|december-2018 DATASETS_DIR OUT_DIR\n"
                            + "       cityops convert sf-fire CSV OUT_DIR");
            System.exit(2);
        }
        Path datasets = Path.of(args[1]);
        Path out = Path.of(args[2]);
        if (args[0].equals("sf-fire")) {
            sfFire(datasets, out);
            return;
        }
        if (args[0].equals("december-2018")) {
            december(datasets, out);
            return;
        }
        ZonedDateTime from = DEMO_DAY.atStartOfDay(Json.SAN_FRANCISCO);
        ZonedDateTime to = from.plusDays(1);

        policeAndFireEms(datasets, out, from, to);
        write(
                out.resolve("traffic.incidents.jsonl.gz"),
                AustinTrafficConverter.convert(
                        datasets.resolve(
                                "austin_traffic_incidents_2020/Real-Time_Traffic_Incident_Reports.csv"),
                        AUSTIN_DAY,
                        DEMO_DAY));
        write(
                out.resolve("traffic.readings.jsonl.gz"),
                ChicagoReadingsGenerator.generate(
                        datasets.resolve(
                                "chicago_traffic_segments_snapshot/Chicago_Traffic_Tracker_-_Congestion_Estimates_by_Segments.csv"),
                        120,
                        from,
                        to,
                        Duration.ofMinutes(5)));
    }

    /** Every call in an SF fire/EMS CSV, with its first unit's statuses. */
    static void sfFire(Path csv, Path out) {
        var converted =
                SfFireEmsConverter.convert(
                        csv,
                        ZonedDateTime.of(1900, 1, 1, 0, 0, 0, 0, Json.SAN_FRANCISCO),
                        ZonedDateTime.of(2100, 1, 1, 0, 0, 0, 0, Json.SAN_FRANCISCO));
        write(out.resolve("fire.alarms.jsonl"), converted.fireAlarms());
        write(out.resolve("medical.calls.jsonl"), converted.medicalCalls());
        write(out.resolve("dispatch.feedback.jsonl"), converted.unitStatuses());
    }

    /** The whole month where the police and the fire/EMS data overlap: for the fusion report. */
    static void december(Path datasets, Path out) {
        ZonedDateTime from = LocalDate.of(2018, 12, 1).atStartOfDay(Json.SAN_FRANCISCO);
        ZonedDateTime to = LocalDate.of(2019, 1, 1).atStartOfDay(Json.SAN_FRANCISCO);
        policeAndFireEms(datasets, out, from, to);
    }

    /** SF police incidents and fire/EMS calls (December 2018) between two times. */
    private static void policeAndFireEms(
            Path datasets, Path out, ZonedDateTime from, ZonedDateTime to) {
        var fire =
                SfFireEmsConverter.convert(
                        datasets.resolve(
                                "sf_fire_ems_2018-12_six_neighborhoods/Fire_Department_Calls_for_Service_2018-12_subset.csv"),
                        from,
                        to);
        write(out.resolve("fire.alarms.jsonl.gz"), fire.fireAlarms());
        write(out.resolve("medical.calls.jsonl.gz"), fire.medicalCalls());
        write(out.resolve("dispatch.feedback.jsonl.gz"), fire.unitStatuses());
        write(
                out.resolve("police.calls.jsonl.gz"),
                SfpdConverter.convert(
                        datasets.resolve(
                                "sfpd_incidents_2018-12/Police_Department_Incident_Reports__2018_to_Present.csv"),
                        from,
                        to));
    }

    private static void write(Path file, List<String> lines) {
        Json.write(file, lines);
        System.out.printf("%-32s %,8d lines%n", file.getFileName(), lines.size());
    }
}
