package org.cityops.jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.cityops.jobs.congestion.CongestionConfig;
import org.cityops.jobs.congestion.CongestionFunction;
import org.cityops.jobs.feedhealth.FeedHealth;
import org.cityops.jobs.feedhealth.FeedHealthFunction;
import org.cityops.jobs.feedhealth.FeedOutcome;
import org.cityops.jobs.fusion.CommandWatermarks;
import org.cityops.jobs.fusion.FusionConfig;
import org.cityops.jobs.fusion.FusionEngine;
import org.cityops.jobs.fusion.FusionFunction;
import org.cityops.jobs.fusion.FusionRegion;
import org.cityops.jobs.fusion.IncidentChange;
import org.cityops.jobs.incidents.IncidentFunction;
import org.cityops.jobs.ingest.Deduplicator;
import org.cityops.jobs.ingest.IngestRecord;
import org.cityops.jobs.ingest.IngestWatermarks;
import org.cityops.jobs.kpi.DayKpi;
import org.cityops.jobs.kpi.KpiFunction;
import org.cityops.jobs.lifecycle.RoutingTable;
import org.cityops.jobs.lifecycle.SlaPolicy;
import org.cityops.jobs.rules.RuleEvent;
import org.cityops.jobs.rules.RuleRecord;
import org.cityops.jobs.rules.RuleStatus;
import org.cityops.jobs.rules.RulesFunction;
import org.cityops.schemas.city.Alert;
import org.cityops.schemas.city.AuditRecord;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.city.CommandKind;
import org.cityops.schemas.city.DeadLetter;
import org.cityops.schemas.city.DispatchOrder;
import org.cityops.schemas.city.Escalation;
import org.cityops.schemas.city.FeedbackCommand;
import org.cityops.schemas.city.Incident;
import org.cityops.schemas.city.PublicWarning;
import org.cityops.schemas.contract.FeedSpec;
import org.cityops.schemas.feeds.TrafficReading;

/**
 * The ingest pipeline, assembled from the sources and sinks it is given:
 *
 * <pre>
 * 5 feed sources (decode, validate, normalise) ─► split ─► rejected ─► city.deadletter + live view
 *                                                   └─► deduplicate ─► reports ─► city.events
 *                                                         │                └─► fusion (+ dispatch.feedback: merge, split, unit statuses)
 *                                                         │                      ─► incidents ─► city.incidents + live view
 *                                                         └─► outcomes (+ rejected) ─► feed health ─► live view
 * cap.alerts (CAP 1.2 XML: parse, validate, map) ─► split ─► rejected ─► (dead letters, feed health)
 *                                                    └─► deduplicate ─► public warnings ─► city.warnings + live view
 * </pre>
 */
public final class IngestJob {

    /** One source per feed, each producing decoded records, and the operators' commands. */
    public record Sources(
            Map<FeedSpec<?>, Source<IngestRecord, ?, ?>> byFeed,
            Source<FeedbackCommand, ?, ?> commands,
            Source<RuleRecord, ?, ?> rules,
            Source<IngestRecord, ?, ?> capAlerts) {}

    public record Sinks(
            Sink<CityEvent> events,
            Sink<Incident> incidents,
            Sink<DeadLetter> deadLetters,
            Sink<Incident> liveIncidents,
            Sink<DeadLetter> liveDeadLetters,
            Sink<FeedHealth> liveFeedHealth,
            Sink<Alert> alerts,
            Sink<Alert> liveAlerts,
            Sink<RuleStatus> liveRuleStatus,
            Sink<DispatchOrder> orders,
            Sink<Escalation> escalations,
            Sink<Escalation> liveEscalations,
            Sink<DayKpi> liveKpis,
            Sink<AuditRecord> audit,
            Sink<AuditRecord> liveAudit,
            Sink<PublicWarning> warnings,
            Sink<PublicWarning> liveWarnings) {}

    private final Sources sources;
    private final Sinks sinks;
    private final JobConfig config;
    private final FusionConfig fusion;

    public IngestJob(Sources sources, Sinks sinks, JobConfig config, FusionConfig fusion) {
        this.sources = sources;
        this.sinks = sinks;
        this.config = config;
        this.fusion = fusion;
    }

    public void assemble(StreamExecutionEnvironment env) {
        DataStream<IngestRecord> records = null;
        for (Map.Entry<FeedSpec<?>, Source<IngestRecord, ?, ?>> feed :
                new LinkedHashMap<>(sources.byFeed()).entrySet()) {
            String name = feed.getKey().name();
            DataStream<IngestRecord> stream =
                    env.fromSource(
                                    feed.getValue(),
                                    IngestWatermarks.strategy(
                                            config.outOfOrderness(), config.idleness()),
                                    name + ": decode, validate, normalise")
                            .uid("source-" + name);
            records = records == null ? stream : records.union(stream);
        }
        if (records == null) {
            throw new IllegalArgumentException("the ingest job needs at least one feed source");
        }

        SingleOutputStreamOperator<IngestRecord> accepted =
                records.process(new SplitRejected())
                        .uid("split-rejected")
                        .name("route rejected records aside");

        // CAP 1.2 public warnings: a path of their own, timed by arrival (a replayed 2013 tsunami
        // message must not hold back the reports' event time); their rejects and counts join the
        // feeds' dead letters and health.
        SingleOutputStreamOperator<IngestRecord> capAccepted =
                env.fromSource(
                                sources.capAlerts(),
                                IngestWatermarks.byArrival(config.idleness()),
                                "cap.alerts: parse, validate, map")
                        .uid("source-cap-alerts")
                        .process(new SplitRejected())
                        .uid("split-rejected-cap")
                        .name("route rejected CAP messages aside");
        SingleOutputStreamOperator<IngestRecord> capUnique =
                capAccepted
                        .keyBy(record -> record.dedupKey)
                        .process(new Deduplicator())
                        .uid("deduplicate-cap")
                        .name("drop repeated CAP messages");
        DataStream<PublicWarning> warnings =
                capUnique
                        .flatMap(new WarningsOnly())
                        .returns(new AvroTypeInfo<>(PublicWarning.class))
                        .uid("warnings")
                        .name("public warnings");
        warnings.sinkTo(sinks.warnings()).uid("sink-warnings-kafka").name("city.warnings");
        warnings.sinkTo(sinks.liveWarnings()).uid("sink-warnings-live").name("live view: warnings");

        DataStream<IngestRecord> rejected =
                accepted.getSideOutput(IngestDescriptors.DEAD_LETTERS)
                        .union(capAccepted.getSideOutput(IngestDescriptors.DEAD_LETTERS));

        SingleOutputStreamOperator<IngestRecord> unique =
                accepted.keyBy(record -> record.dedupKey)
                        .process(new Deduplicator())
                        .uid("deduplicate")
                        .name("drop exact repeats");

        DataStream<FeedOutcome> outcomes =
                unique.getSideOutput(IngestDescriptors.OUTCOMES)
                        .union(capUnique.getSideOutput(IngestDescriptors.OUTCOMES))
                        .union(
                                rejected.map(new RejectedOutcome())
                                        .uid("rejected-outcomes")
                                        .name("count rejected"));
        outcomes.keyBy(outcome -> outcome.feed)
                .process(new FeedHealthFunction(config.feedHealthIntervalMillis()))
                .uid("feed-health")
                .name("feed health counts")
                .sinkTo(sinks.liveFeedHealth())
                .uid("sink-feed-health-live")
                .name("live view: feed health");

        DataStream<CityEvent> reports =
                unique.flatMap(new ReportsOnly())
                        .returns(new AvroTypeInfo<>(CityEvent.class))
                        .uid("reports")
                        .name("reports");
        DataStream<CityEvent> congestion =
                unique.flatMap(new ReadingsOnly())
                        .returns(new AvroTypeInfo<>(TrafficReading.class))
                        .uid("readings")
                        .name("sensor readings")
                        .keyBy(reading -> reading.getSegmentId())
                        .process(new CongestionFunction(CongestionConfig.defaults()))
                        .returns(new AvroTypeInfo<>(CityEvent.class))
                        .uid("congestion")
                        .name("congestion episodes per segment");
        DataStream<CityEvent> events = reports.union(congestion);
        events.sinkTo(sinks.events()).uid("sink-events-kafka").name("city.events");

        DataStream<FeedbackCommand> commands =
                env.fromSource(sources.commands(), CommandWatermarks.none(), "dispatch.feedback")
                        .uid("source-feedback");
        SingleOutputStreamOperator<IncidentChange> changes =
                events.connect(
                                commands.filter(new FusionCommands())
                                        .uid("fusion-commands")
                                        .name("merge, split and unit statuses"))
                        .keyBy(new FusionRegion.OfEvent(), new FusionRegion.OfCommand())
                        .process(new FusionFunction(fusion))
                        .uid("fusion")
                        .name("fusion: which incident each report belongs to");

        DataStream<DeadLetter> deadLetters =
                rejected.map(new ToDeadLetter())
                        .returns(new AvroTypeInfo<>(DeadLetter.class))
                        .uid("dead-letters")
                        .name("dead letters")
                        .union(changes.getSideOutput(IngestDescriptors.UNRESOLVED_STATUSES));
        deadLetters
                .sinkTo(sinks.deadLetters())
                .uid("sink-deadletter-kafka")
                .name("city.deadletter");
        deadLetters
                .sinkTo(sinks.liveDeadLetters())
                .uid("sink-deadletter-live")
                .name("live view: dead letters");
        BroadcastStream<RuleRecord> rules =
                env.fromSource(sources.rules(), CommandWatermarks.<RuleRecord>idle(), "rules")
                        .uid("source-rules")
                        .broadcast(IngestDescriptors.RULES);
        SingleOutputStreamOperator<Alert> alerts =
                changes.filter(change -> IncidentChange.REPORT.equals(change.kind))
                        .uid("fused-reports")
                        .name("fused reports")
                        .map(RuleEvent::of)
                        .uid("rule-events")
                        .name("rule events")
                        .keyBy(event -> FusionRegion.CITY)
                        .connect(rules)
                        .process(new RulesFunction())
                        .returns(new AvroTypeInfo<>(Alert.class))
                        .uid("rules")
                        .name("detection rules (hot-reloaded)");
        alerts.sinkTo(sinks.alerts()).uid("sink-alerts-kafka").name("city.alerts");
        alerts.sinkTo(sinks.liveAlerts()).uid("sink-alerts-live").name("live view: alerts");
        alerts.getSideOutput(IngestDescriptors.RULE_STATUS)
                .sinkTo(sinks.liveRuleStatus())
                .uid("sink-rule-status-live")
                .name("live view: rules");

        SingleOutputStreamOperator<Incident> incidents =
                changes.union(
                                alerts.getSideOutput(IngestDescriptors.RULE_ACTIONS),
                                commands.filter(new LifecycleCommands())
                                        .uid("lifecycle-commands")
                                        .name("department and command-centre actions")
                                        .map(IncidentChange::action)
                                        .uid("lifecycle-actions")
                                        .name("actions"))
                        .keyBy(change -> change.incidentId)
                        .process(
                                new IncidentFunction(RoutingTable.defaults(), SlaPolicy.defaults()))
                        .returns(new AvroTypeInfo<>(Incident.class))
                        .uid("incidents")
                        .name("incidents");
        incidents.sinkTo(sinks.incidents()).uid("sink-incidents-kafka").name("city.incidents");
        incidents
                .getSideOutput(IngestDescriptors.AUDIT)
                .sinkTo(sinks.audit())
                .uid("sink-audit-kafka")
                .name("audit.log");
        incidents
                .getSideOutput(IngestDescriptors.AUDIT)
                .sinkTo(sinks.liveAudit())
                .uid("sink-audit-live")
                .name("live view: audit");
        incidents
                .getSideOutput(IngestDescriptors.ESCALATIONS)
                .sinkTo(sinks.escalations())
                .uid("sink-escalations-kafka")
                .name("city.escalations");
        incidents
                .getSideOutput(IngestDescriptors.ESCALATIONS)
                .sinkTo(sinks.liveEscalations())
                .uid("sink-escalations-live")
                .name("live view: escalations");
        incidents
                .getSideOutput(IngestDescriptors.ORDERS)
                .sinkTo(sinks.orders())
                .uid("sink-orders-kafka")
                .name("dispatch.orders");
        incidents
                .sinkTo(sinks.liveIncidents())
                .uid("sink-incidents-live")
                .name("live view: incidents");
        incidents
                .getSideOutput(IngestDescriptors.KPI_FACTS)
                .keyBy(fact -> fact.group)
                .process(new KpiFunction())
                .uid("kpis")
                .name("KPIs per city, department and district and day")
                .sinkTo(sinks.liveKpis())
                .uid("sink-kpis-live")
                .name("live view: KPIs");
    }

    /**
     * Merge and split change which incident reports belong to, and a unit status names a report:
     * fusion's business (it knows each report's incident).
     */
    static final class FusionCommands implements FilterFunction<FeedbackCommand> {
        @Override
        public boolean filter(FeedbackCommand command) {
            return command.getKind() == CommandKind.MERGE
                    || command.getKind() == CommandKind.SPLIT
                    || FusionEngine.isUnitStatus(command);
        }
    }

    /** Every other known command is a lifecycle action on one incident. */
    static final class LifecycleCommands implements FilterFunction<FeedbackCommand> {
        @Override
        public boolean filter(FeedbackCommand command) {
            return command.getKind() != CommandKind.MERGE
                    && command.getKind() != CommandKind.SPLIT
                    && command.getKind() != CommandKind.UNKNOWN
                    && !FusionEngine.isUnitStatus(command);
        }
    }

    static final class SplitRejected extends ProcessFunction<IngestRecord, IngestRecord> {
        @Override
        public void processElement(IngestRecord record, Context ctx, Collector<IngestRecord> out) {
            if (record.isAccepted()) {
                out.collect(record);
            } else {
                ctx.output(IngestDescriptors.DEAD_LETTERS, record);
            }
        }
    }

    static final class ToDeadLetter implements MapFunction<IngestRecord, DeadLetter> {
        @Override
        public DeadLetter map(IngestRecord record) {
            return record.deadLetter;
        }
    }

    static final class RejectedOutcome implements MapFunction<IngestRecord, FeedOutcome> {
        @Override
        public FeedOutcome map(IngestRecord record) {
            return FeedOutcome.of(
                    record.feed,
                    FeedOutcome.REJECTED,
                    record.receivedAt,
                    record.deadLetter.getReason());
        }
    }

    static final class ReadingsOnly implements FlatMapFunction<IngestRecord, TrafficReading> {
        @Override
        public void flatMap(IngestRecord record, Collector<TrafficReading> out) {
            if (record.reading != null) {
                out.collect(record.reading);
            }
        }
    }

    static final class WarningsOnly implements FlatMapFunction<IngestRecord, PublicWarning> {
        @Override
        public void flatMap(IngestRecord record, Collector<PublicWarning> out) {
            if (record.warning != null) {
                out.collect(record.warning);
            }
        }
    }

    static final class ReportsOnly implements FlatMapFunction<IngestRecord, CityEvent> {
        @Override
        public void flatMap(IngestRecord record, Collector<CityEvent> out) {
            if (record.event != null) {
                out.collect(record.event);
            }
        }
    }
}
