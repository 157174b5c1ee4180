package org.cityops.bench;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** The run's figures: summary.json, report.md, timeseries.csv and latency.csv. */
final class BenchReport {

    private BenchReport() {}

    static void write(
            Path out,
            BenchMain.BenchRun run,
            List<BenchMain.Sample> samples,
            ScreenClients screens,
            int screensConnected,
            double eventsPerSecond,
            long sent,
            double drainedSeconds,
            double passThroughPerSecond,
            long passThroughRecords,
            ApiLoad api,
            double apiPerSecond,
            long incidents,
            long checkpointBytes,
            java.util.Map<String, Long> stateBytes)
            throws Exception {
        long incidentState = stateBytes.getOrDefault("incidents", 0L);
        long fusionState = stateBytes.getOrDefault("fusion", 0L);
        Histogram screen = screens.latencyMicros;
        double maxCpu = samples.stream().mapToDouble(BenchMain.Sample::cpuCores).max().orElse(0);
        double avgCpu =
                samples.stream().mapToDouble(BenchMain.Sample::cpuCores).average().orElse(0);
        long maxHeap = samples.stream().mapToLong(BenchMain.Sample::heapMiB).max().orElse(0);
        JsonObject summary =
                new JsonObject()
                        .put("at", Instant.now().toString())
                        .put("machine", machine())
                        .put("durationSeconds", run.duration())
                        .put(
                                "rateEventsPerSecond",
                                run.offered() <= 0 ? "max" : (Object) (long) run.offered())
                        .put("parallelism", run.parallelism())
                        .put("eventsSent", sent)
                        .put("eventsPerSecond", round(eventsPerSecond))
                        .put("allProcessedAfterSeconds", round(drainedSeconds))
                        .put("passThroughEventsPerSecond", round(passThroughPerSecond))
                        .put("passThroughRecords", passThroughRecords)
                        .put(
                                "ratioToPassThrough",
                                round(eventsPerSecond / Math.max(1, passThroughPerSecond)))
                        .put("latencySamples", screen.getTotalCount())
                        .put("latencyP50Ms", ms(screen, 50))
                        .put("latencyP90Ms", ms(screen, 90))
                        .put("latencyP99Ms", ms(screen, 99))
                        .put("latencyP999Ms", ms(screen, 99.9))
                        .put("latencyMaxMs", round(screen.getMaxValue() / 1000.0))
                        .put("screens", screensConnected)
                        .put("screensClosedByServer", screens.closed.get())
                        .put(
                                "screenCloseReasons",
                                new JsonObject(new java.util.HashMap<>(screens.closeReasons)))
                        .put("cpuCoresMax", round(maxCpu))
                        .put("cpuCoresAvg", round(avgCpu))
                        .put("heapMiBMax", maxHeap)
                        .put("apiReadsPerSecond", round(apiPerSecond))
                        .put("apiP50Ms", ms(api.latencyMicros, 50))
                        .put("apiP99Ms", ms(api.latencyMicros, 99))
                        .put("apiErrors", api.errors.get())
                        .put("incidentsInState", incidents)
                        .put("checkpointBytes", checkpointBytes)
                        .put(
                                "checkpointBytesPerIncident",
                                incidents == 0 ? 0 : checkpointBytes / incidents)
                        .put(
                                "stateBytesByOperator",
                                new JsonObject(new java.util.LinkedHashMap<>(stateBytes)))
                        .put(
                                "incidentStateBytesPerIncident",
                                incidents == 0 ? 0 : (incidentState + fusionState) / incidents);
        Files.writeString(out.resolve("summary.json"), summary.encodePrettily());

        StringBuilder csv =
                new StringBuilder("seconds,sent,processed,cpuCores,heapMiB,screenP99Ms\n");
        for (BenchMain.Sample s : samples) {
            csv.append(
                    String.format(
                            Locale.ROOT,
                            "%.1f,%d,%d,%.2f,%d,%.1f%n",
                            s.t(),
                            s.sent(),
                            s.accepted(),
                            s.cpuCores(),
                            s.heapMiB(),
                            s.p99Ms()));
        }
        Files.writeString(out.resolve("timeseries.csv"), csv);

        ByteArrayOutputStream distribution = new ByteArrayOutputStream();
        screen.outputPercentileDistribution(
                new PrintStream(distribution, true, StandardCharsets.UTF_8), 5, 1000.0, true);
        Files.write(out.resolve("latency.csv"), distribution.toByteArray());

        String md =
                String.format(
                        Locale.ROOT,
                        """
                        # CityOps load run

                        Command: `./cityops bench --duration %d --rate %s --clients %d --parallelism %d`
                        Machine: %s

                        | figure | value |
                        |---|---|
                        | offered rate | %s events/s |
                        | events sent | %,d |
                        | **sustained processed rate** (after 20%% warm-up) | **%,.0f events/s** |
                        | all processed after | %.1f s |
                        | pass-through (Kafka → Flink → Kafka, exactly-once, same records) | %,.0f events/s (%,d records) |
                        | ratio to pass-through | %.2f |
                        | feed → screen latency p50 / p90 / p99 / p99.9 / max | %.1f / %.1f / %.1f / %.1f / %.1f ms (%,d calls × screens) |
                        | screens connected / closed by the server | %d / %d |
                        | CPU (process) avg / max | %.2f / %.2f cores |
                        | heap max | %,d MiB |
                        | dispatch-api reads | %,.0f req/s, p50 %.1f ms, p99 %.1f ms, %d errors (%d users) |
                        | incidents in state / newest checkpoint | %,d / %,d bytes (%,d bytes per incident) |
                        | state of the incident and fusion operators per incident | %,d bytes |
                        | state by operator (bytes) | %s |

                        Per second: `timeseries.csv`; latency distribution: `latency.csv` (HdrHistogram, ms).
                        """,
                        run.duration(),
                        run.offered() <= 0 ? "max" : String.valueOf((long) run.offered()),
                        run.clients(),
                        run.parallelism(),
                        machine(),
                        run.offered() <= 0
                                ? "max"
                                : String.format(Locale.ROOT, "%,d", (long) run.offered()),
                        sent,
                        eventsPerSecond,
                        drainedSeconds,
                        passThroughPerSecond,
                        passThroughRecords,
                        eventsPerSecond / Math.max(1, passThroughPerSecond),
                        ms(screen, 50),
                        ms(screen, 90),
                        ms(screen, 99),
                        ms(screen, 99.9),
                        screen.getMaxValue() / 1000.0,
                        screen.getTotalCount(),
                        screensConnected,
                        screens.closed.get(),
                        avgCpu,
                        maxCpu,
                        maxHeap,
                        apiPerSecond,
                        ms(api.latencyMicros, 50),
                        ms(api.latencyMicros, 99),
                        api.errors.get(),
                        run.apiUsers(),
                        incidents,
                        checkpointBytes,
                        incidents == 0 ? 0 : checkpointBytes / incidents,
                        incidents == 0 ? 0 : (incidentState + fusionState) / incidents,
                        stateBytes);
        Files.writeString(out.resolve("report.md"), md);
        System.out.print(md);
    }

    static String machine() {
        return Runtime.getRuntime().availableProcessors()
                + " cores, "
                + (((com.sun.management.OperatingSystemMXBean)
                                        ManagementFactory.getOperatingSystemMXBean())
                                .getTotalMemorySize()
                        >> 30)
                + " GiB, "
                + System.getProperty("os.name")
                + " "
                + System.getProperty("os.arch")
                + ", Java "
                + System.getProperty("java.version")
                + ", heap max "
                + (Runtime.getRuntime().maxMemory() >> 20)
                + " MiB";
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : round(h.getValueAtPercentile(percentile) / 1000.0);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
