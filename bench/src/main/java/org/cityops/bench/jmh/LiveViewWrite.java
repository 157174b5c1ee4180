package org.cityops.bench.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cityops.infra.RedisServerProcess;
import org.cityops.livestate.LiveWrite;
import org.cityops.livestate.RedisLiveView;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The live view's versioned incident write against a real redis-server: a batch of 100 (as the
 * job's sink sends them, pipelined, one Lua call each), per write. Needs {@code redis-server}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=org.cityops")
@State(Scope.Thread)
public class LiveViewWrite {

    static final int BATCH = 100;

    private RedisServerProcess redis;
    private RedisLiveView view;
    private final List<List<LiveWrite>> batches = new ArrayList<>();
    private long version;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path dir = Files.createTempDirectory("cityops-jmh-redis");
        redis = RedisServerProcess.start(dir, 0, false);
        view = new RedisLiveView(redis.uri(), "jmh:");
        String document = Files.readString(sampleIncident());
        for (int b = 0; b < 50; b++) {
            List<LiveWrite> batch = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                batch.add(
                        new LiveWrite.IncidentWrite(
                                "INC-" + (b * BATCH + i),
                                0,
                                "DISPATCHED",
                                List.of("police", "medical"),
                                "Mission",
                                Instant.parse("2018-12-08T10:00:00Z").toEpochMilli(),
                                document));
            }
            batches.add(batch);
        }
    }

    private static Path sampleIncident() throws Exception {
        Path sample = Files.createTempFile("incident", ".json");
        Files.writeString(
                sample,
                "{\"incidentId\":\"INC-1\",\"status\":\"DISPATCHED\",\"category\":\"TRAFFIC_COLLISION\","
                        + "\"severity\":4,\"title\":\"Traffic collision — Mission\",\"reports\":["
                        + "{\"eventId\":\"police.calls/1\",\"feed\":\"police.calls\",\"callId\":\"1\"},"
                        + "{\"eventId\":\"medical.calls/2\",\"feed\":\"medical.calls\",\"callId\":\"2\"}],"
                        + "\"tasks\":[{\"department\":\"police\",\"status\":\"ORDERED\"},"
                        + "{\"department\":\"medical\",\"status\":\"ORDERED\"}]}");
        return sample;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void pipelinedVersionedWrites() {
        List<LiveWrite> batch = batches.get(next++ % batches.size());
        version++;
        List<LiveWrite> versioned = new ArrayList<>(BATCH);
        for (LiveWrite w : batch) {
            LiveWrite.IncidentWrite i = (LiveWrite.IncidentWrite) w;
            versioned.add(
                    new LiveWrite.IncidentWrite(
                            i.incidentId(),
                            version,
                            i.status(),
                            i.departments(),
                            i.district(),
                            i.sortTimeMillis(),
                            i.document()));
        }
        view.apply(versioned);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        view.close();
        redis.close();
    }
}
