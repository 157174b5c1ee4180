package org.cityops.bench.jmh;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cityops.jobs.fusion.FusionConfig;
import org.cityops.jobs.fusion.FusionEngine;
import org.cityops.jobs.fusion.InMemoryFusionStore;
import org.cityops.jobs.fusion.IncidentChange;
import org.cityops.jobs.ingest.DistrictIndex;
import org.cityops.jobs.ingest.Normaliser;
import org.cityops.jobs.kpi.KpiFacts;
import org.cityops.jobs.lifecycle.IncidentLifecycle;
import org.cityops.jobs.lifecycle.LifecycleAction;
import org.cityops.jobs.lifecycle.RoutingTable;
import org.cityops.jobs.rules.RuleEngine;
import org.cityops.jobs.rules.RuleEvent;
import org.cityops.jobs.rules.RuleMemory;
import org.cityops.schemas.Department;
import org.cityops.schemas.Location;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.city.Incident;
import org.cityops.schemas.contract.Decoded;
import org.cityops.schemas.contract.FeedDecoder;
import org.cityops.schemas.contract.FeedSpec;
import org.cityops.schemas.feeds.MedicalCall;
import org.cityops.schemas.rules.RuleParser;
import org.cityops.schemas.serde.AvroCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The job's hot paths, each on the plain-Java core the Flink functions wrap: Avro decode/encode,
 * contract validation plus normalisation, fusion of a report among thousands of open incidents,
 * rule evaluation, a lifecycle transition with its KPI facts. (The pipelined Redis write is in
 * {@link LiveViewWrite}.) Average time per operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=org.cityops")
@State(Scope.Thread)
public class HotPaths {

    private static final Instant T0 = Instant.parse("2018-12-08T10:00:00Z");

    private final AvroCodec<MedicalCall> codec = AvroCodec.of(MedicalCall.class);
    private final FeedDecoder<MedicalCall> decoder = new FeedDecoder<>(FeedSpec.MEDICAL_CALLS);
    private Normaliser normaliser;
    private MedicalCall call;
    private byte[] encoded;
    private FusionEngine fusion;
    private List<CityEvent> reports;
    private int next;
    private RuleEngine rules;
    private RuleMemory memory;
    private List<RuleEvent> ruleEvents;
    private IncidentLifecycle lifecycle;
    private Incident dispatched;

    @Setup
    public void setUp() throws Exception {
        normaliser = new Normaliser(DistrictIndex.sanFrancisco());
        call = call("M-1", 37.7749, -122.4194, T0);
        encoded = codec.encode(call);

        // 2,000 open incidents spread over the city, then reports near them
        fusion = new FusionEngine(FusionConfig.defaults(), new InMemoryFusionStore());
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        reports = new ArrayList<>();
        for (int i = 0; i < 12_000; i++) {
            CityEvent event =
                    normalise(
                            call(
                                    "F-" + i,
                                    37.71 + random.nextDouble() * 0.09,
                                    -122.51 + random.nextDouble() * 0.13,
                                    T0.plusSeconds(i / 10)));
            if (i < 2_000) {
                fusion.onEvent(event, Long.MIN_VALUE);
            } else {
                reports.add(event);
            }
        }

        rules = new RuleEngine(RuleParser.parseAll(java.nio.file.Files.readString(starterRules())));
        memory = new RuleMemory();
        ruleEvents = new ArrayList<>();
        for (CityEvent report : reports.subList(0, 1_000)) {
            ruleEvents.add(
                    RuleEvent.of(IncidentChange.report("INC-" + report.getSourceId(), report)));
        }

        lifecycle = new IncidentLifecycle(RoutingTable.defaults());
        Incident discovered =
                org.cityops.jobs.incidents.IncidentAssembler.apply(
                        null, IncidentChange.report("INC-1", normalise(call)));
        dispatched = lifecycle.dispatch(discovered, T0).incident();
    }

    private static java.nio.file.Path starterRules() {
        java.nio.file.Path here = java.nio.file.Path.of("rules/starter-rules.json");
        return java.nio.file.Files.exists(here)
                ? here
                : java.nio.file.Path.of("../rules/starter-rules.json");
    }

    private CityEvent normalise(MedicalCall record) {
        Decoded<MedicalCall> decoded = decoder.decodeAvro(codec.encode(record));
        return normaliser.normalise(
                FeedSpec.MEDICAL_CALLS,
                ((Decoded.Accepted<MedicalCall>) decoded).record(),
                ((Decoded.Accepted<MedicalCall>) decoded).fingerprint());
    }

    private static MedicalCall call(String id, double lat, double lon, Instant at) {
        return MedicalCall.newBuilder()
                .setCallId(id)
                .setReceivedAt(at)
                .setComplaint("TRAUMA")
                .setAcuity(2)
                .setLocation(Location.newBuilder().setLat(lat).setLon(lon).build())
                .setCallerPhone("415-555-0142")
                .build();
    }

    @Benchmark
    public byte[] avroEncode() {
        return codec.encode(call);
    }

    @Benchmark
    public MedicalCall avroDecode() throws java.io.IOException {
        return codec.decode(encoded);
    }

    /** What the job's deserializer does per record: decode, contract checks, normalise. */
    @Benchmark
    public CityEvent validateAndNormalise() {
        Decoded<MedicalCall> decoded = decoder.decodeAvro(encoded);
        return normaliser.normalise(
                FeedSpec.MEDICAL_CALLS,
                ((Decoded.Accepted<MedicalCall>) decoded).record(),
                ((Decoded.Accepted<MedicalCall>) decoded).fingerprint());
    }

    /** A report among 2,000+ open incidents: grid lookup, scoring, the decision. */
    @Benchmark
    public FusionEngine.Step fuseAReport() {
        CityEvent report = reports.get(next++ % reports.size());
        return fusion.onEvent(report, Long.MIN_VALUE);
    }

    /** The starter rules over a fused report. */
    @Benchmark
    public List<RuleEngine.Firing> evaluateRules() {
        return rules.onEvent(memory, ruleEvents.get(next++ % ruleEvents.size()));
    }

    /** A department acknowledges: the transition, then its KPI facts. */
    @Benchmark
    public int acknowledgeWithKpiFacts() {
        Incident acknowledged =
                lifecycle
                        .act(
                                dispatched,
                                LifecycleAction.ACKNOWLEDGE,
                                Department.medical,
                                null,
                                null,
                                null,
                                T0.plusSeconds(45))
                        .incident();
        return KpiFacts.of(dispatched, acknowledged, false).size();
    }
}
