package org.cityops.jobs;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;
import org.cityops.jobs.congestion.SegmentState;
import org.cityops.jobs.feedhealth.FeedHealth;
import org.cityops.jobs.feedhealth.FeedOutcome;
import org.cityops.jobs.fusion.Cluster;
import org.cityops.jobs.fusion.IncidentChange;
import org.cityops.jobs.ingest.IngestRecord;
import org.cityops.jobs.kpi.DayKpi;
import org.cityops.jobs.kpi.KpiFact;
import org.cityops.jobs.lifecycle.EscalationMarks;
import org.cityops.jobs.rules.RuleMemory;
import org.cityops.jobs.rules.RuleStatus;
import org.cityops.schemas.city.AuditRecord;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.city.DeadLetter;
import org.cityops.schemas.city.DispatchOrder;
import org.cityops.schemas.city.Escalation;
import org.cityops.schemas.city.FeedbackCommand;
import org.cityops.schemas.city.Incident;

/** The ingest job's state descriptors and output tags, in one place. */
public final class IngestDescriptors {

    /** How long an id's fingerprints are remembered for duplicate detection. */
    public static final Duration DEDUP_RETENTION = Duration.ofHours(24);

    /**
     * How long an incident's state is kept after its last change (the lifecycle will close it
     * sooner).
     */
    public static final Duration INCIDENT_RETENTION = Duration.ofHours(24);

    public static final OutputTag<IngestRecord> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(IngestRecord.class));

    public static final OutputTag<FeedOutcome> OUTCOMES =
            new OutputTag<>("feed-outcomes", TypeInformation.of(FeedOutcome.class));

    /** Active rules: rule id to its JSON document, in broadcast state. */
    public static final MapStateDescriptor<String, String> RULES =
            new MapStateDescriptor<>("rules", Types.STRING, Types.STRING);

    public static final ValueStateDescriptor<RuleMemory> RULE_MEMORY =
            new ValueStateDescriptor<>("rule-memory", TypeInformation.of(RuleMemory.class));

    public static final ValueStateDescriptor<Long> RULE_METRICS_FLUSH_AT =
            new ValueStateDescriptor<>("rule-metrics-flush-at", Types.LONG);

    public static final OutputTag<IncidentChange> RULE_ACTIONS =
            new OutputTag<>("rule-actions", TypeInformation.of(IncidentChange.class));

    /** Changes that reached an incident before the report that opens it. */
    public static final ListStateDescriptor<IncidentChange> EARLY_CHANGES = earlyChanges();

    private static ListStateDescriptor<IncidentChange> earlyChanges() {
        ListStateDescriptor<IncidentChange> descriptor =
                new ListStateDescriptor<>(
                        "early-changes", TypeInformation.of(IncidentChange.class));
        descriptor.enableTimeToLive(ttl(Duration.ofHours(1)));
        return descriptor;
    }

    public static final ValueStateDescriptor<EscalationMarks> ESCALATION_MARKS =
            new ValueStateDescriptor<>(
                    "escalation-marks", TypeInformation.of(EscalationMarks.class));

    public static final ValueStateDescriptor<Long> SLA_TIMER =
            new ValueStateDescriptor<>("sla-timer", Types.LONG);

    public static final OutputTag<Escalation> ESCALATIONS =
            new OutputTag<>("escalations", new AvroTypeInfo<>(Escalation.class));

    /** Lifecycle facts (phase durations, counts) for the KPIs, from the incident function. */
    public static final OutputTag<KpiFact> KPI_FACTS =
            new OutputTag<>("kpi-facts", TypeInformation.of(KpiFact.class));

    /** Per KPI group: day -> that day's aggregate; days older than the retention are dropped. */
    public static final MapStateDescriptor<String, DayKpi> KPI_DAYS = kpiDays();

    private static MapStateDescriptor<String, DayKpi> kpiDays() {
        MapStateDescriptor<String, DayKpi> descriptor =
                new MapStateDescriptor<>(
                        "kpi-days", Types.STRING, TypeInformation.of(DayKpi.class));
        descriptor.enableTimeToLive(ttl(Duration.ofDays(KPI_RETENTION_DAYS)));
        return descriptor;
    }

    public static final int KPI_RETENTION_DAYS = 35;

    /** Per KPI group: the facts of the live window (pruned by event-time timers). */
    public static final ListStateDescriptor<KpiFact> KPI_RECENT =
            new ListStateDescriptor<>("kpi-recent", TypeInformation.of(KpiFact.class));

    /** Per KPI group: how often the live window was published (the live row's version). */
    public static final ValueStateDescriptor<Long> KPI_LIVE_VERSION =
            new ValueStateDescriptor<>("kpi-live-version", Types.LONG);

    public static final OutputTag<AuditRecord> AUDIT =
            new OutputTag<>("audit", new AvroTypeInfo<>(AuditRecord.class));

    public static final OutputTag<DispatchOrder> ORDERS =
            new OutputTag<>("dispatch-orders", new AvroTypeInfo<>(DispatchOrder.class));

    public static final OutputTag<RuleStatus> RULE_STATUS =
            new OutputTag<>("rule-status", TypeInformation.of(RuleStatus.class));

    public static final ValueStateDescriptor<FeedHealth> FEED_HEALTH =
            new ValueStateDescriptor<>("feed-health", TypeInformation.of(FeedHealth.class));

    public static final ValueStateDescriptor<Long> FEED_HEALTH_FLUSH_AT =
            new ValueStateDescriptor<>("feed-health-flush-at", TypeInformation.of(Long.class));

    private IngestDescriptors() {}

    public static ValueStateDescriptor<long[]> recentFingerprints() {
        ValueStateDescriptor<long[]> descriptor =
                new ValueStateDescriptor<>(
                        "recent-fingerprints",
                        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);
        descriptor.enableTimeToLive(ttl(DEDUP_RETENTION));
        return descriptor;
    }

    public static final MapStateDescriptor<String, Cluster> FUSION_CLUSTERS =
            new MapStateDescriptor<>(
                    "fusion-clusters", Types.STRING, TypeInformation.of(Cluster.class));

    public static final MapStateDescriptor<String, String> FUSION_MEMBERSHIP =
            new MapStateDescriptor<>("fusion-membership", Types.STRING, Types.STRING);

    public static final MapStateDescriptor<String, Long> FUSION_COMMANDS =
            new MapStateDescriptor<>("fusion-commands", Types.STRING, Types.LONG);

    /** Unit statuses waiting for their report, by the report's event id. */
    public static MapStateDescriptor<String, List<FeedbackCommand>> fusionPendingStatuses() {
        return new MapStateDescriptor<>(
                "fusion-pending-statuses",
                Types.STRING,
                new ListTypeInfo<>(new AvroTypeInfo<>(FeedbackCommand.class)));
    }

    /** Unit statuses whose report never came: dead letters. */
    public static final OutputTag<DeadLetter> UNRESOLVED_STATUSES =
            new OutputTag<>("unresolved-statuses", new AvroTypeInfo<>(DeadLetter.class));

    public static MapStateDescriptor<String, CityEvent> fusionEvents() {
        return new MapStateDescriptor<>(
                "fusion-events", Types.STRING, new AvroTypeInfo<>(CityEvent.class));
    }

    /** A segment's congestion state; a segment silent for a day is forgotten. */
    public static ValueStateDescriptor<SegmentState> segmentState() {
        ValueStateDescriptor<SegmentState> descriptor =
                new ValueStateDescriptor<>("segment", TypeInformation.of(SegmentState.class));
        descriptor.enableTimeToLive(ttl(Duration.ofHours(24)));
        return descriptor;
    }

    public static ValueStateDescriptor<Incident> incident() {
        ValueStateDescriptor<Incident> descriptor =
                new ValueStateDescriptor<>("incident", new AvroTypeInfo<>(Incident.class));
        descriptor.enableTimeToLive(ttl(INCIDENT_RETENTION));
        return descriptor;
    }

    /**
     * Expired entries are never returned and are dropped from snapshots; in memory they are swept
     * one entry per state access (Flink's default is five: under a flood of sensor readings that
     * sweep was the largest single cost in a JFR profile, docs/benchmarks.md).
     */
    private static StateTtlConfig ttl(Duration retention) {
        return StateTtlConfig.newBuilder(retention)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupFullSnapshot()
                .cleanupIncrementally(1, false)
                .build();
    }
}
