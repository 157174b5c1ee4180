package org.cityops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness itself, briefly, so it cannot rot: a few seconds of load through the real stack must
 * produce every figure the report promises. (The figures are measured by running it, not here.)
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BenchHarnessITCase {

    @Test
    void aShortRunMeasuresEveryFigureAndWritesTheReport(@TempDir Path out) throws Exception {
        new BenchMain.BenchRun(8, 2_000, 2, 1, 2, 4, 10, out).run();

        JsonObject summary = new JsonObject(Files.readString(out.resolve("summary.json")));
        assertThat(summary.getLong("eventsSent")).isBetween(12_000L, 17_000L);
        assertThat(summary.getDouble("eventsPerSecond")).isPositive();
        assertThat(summary.getDouble("passThroughEventsPerSecond")).isPositive();
        assertThat(summary.getLong("passThroughRecords"))
                .as("the pass-through copies exactly what was sent")
                .isEqualTo(summary.getLong("eventsSent"));
        assertThat(summary.getLong("latencySamples")).as("screens saw calls").isPositive();
        assertThat(summary.getDouble("latencyP99Ms"))
                .isGreaterThanOrEqualTo(summary.getDouble("latencyP50Ms"));
        assertThat(summary.getLong("rateEventsPerSecond")).isEqualTo(2_000);
        assertThat(summary.getDouble("apiReadsPerSecond")).isPositive();
        assertThat(summary.getLong("apiErrors")).isZero();
        assertThat(summary.getLong("incidentStateBytesPerIncident")).isPositive();
        assertThat(Files.readString(out.resolve("report.md"))).contains("pass-through");
        assertThat(Files.readAllLines(out.resolve("timeseries.csv")))
                .first()
                .isEqualTo("seconds,sent,processed,cpuCores,heapMiB,screenP99Ms");
        assertThat(out.resolve("latency.csv")).isNotEmptyFile();
    }
}
