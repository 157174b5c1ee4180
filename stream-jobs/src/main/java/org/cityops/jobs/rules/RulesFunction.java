package org.cityops.jobs.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.cityops.jobs.IngestDescriptors;
import org.cityops.schemas.city.Alert;
import org.cityops.schemas.rules.Rule;
import org.cityops.schemas.rules.RuleException;
import org.cityops.schemas.rules.RuleParser;

/**
 * The detection rules in the running job. Rules arrive on the broadcast side (the compacted rules
 * topic) and are hot-reloaded: a valid newer version replaces the active one at once; a bad or
 * older one is rejected with its reason and the active rule keeps working. Fused reports arrive on
 * the keyed side and go through {@link RuleEngine}; firings become alerts (main output) and, unless
 * the rule is a dry run, incident changes (side output).
 */
public final class RulesFunction
        extends KeyedBroadcastProcessFunction<String, RuleEvent, RuleRecord, Alert> {

    static final long METRICS_INTERVAL_MILLIS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private transient ValueState<RuleMemory> memory;
    private transient ValueState<Long> metricsFlushAt;
    private transient RuleEngine engine;
    private transient int engineRulesHash;

    @Override
    public void open(OpenContext context) {
        memory = getRuntimeContext().getState(IngestDescriptors.RULE_MEMORY);
        metricsFlushAt = getRuntimeContext().getState(IngestDescriptors.RULE_METRICS_FLUSH_AT);
    }

    @Override
    public void processBroadcastElement(RuleRecord record, Context ctx, Collector<Alert> out)
            throws Exception {
        BroadcastState<String, String> rules = ctx.getBroadcastState(IngestDescriptors.RULES);
        String active = rules.get(record.ruleId);
        if (record.json == null) {
            rules.remove(record.ruleId);
            ctx.output(IngestDescriptors.RULE_STATUS, definition(record, null, "retired", null));
            return;
        }
        Rule rule;
        try {
            rule = RuleParser.parse(record.json);
        } catch (RuleException e) {
            ctx.output(
                    IngestDescriptors.RULE_STATUS,
                    definition(record, active, "rejected", e.getMessage()));
            return;
        }
        if (!rule.id().equals(record.ruleId)) {
            ctx.output(
                    IngestDescriptors.RULE_STATUS,
                    definition(
                            record,
                            active,
                            "rejected",
                            "id: the record key is '"
                                    + record.ruleId
                                    + "' but the rule says '"
                                    + rule.id()
                                    + "'"));
            return;
        }
        if (active != null) {
            Rule current = RuleParser.parse(active);
            if (rule.version() < current.version()
                    || (rule.version() == current.version()
                            && !rule.json().equals(current.json()))) {
                ctx.output(
                        IngestDescriptors.RULE_STATUS,
                        definition(
                                record,
                                active,
                                "rejected",
                                "version: "
                                        + rule.version()
                                        + " is not newer than the active version "
                                        + current.version()));
                return;
            }
        }
        rules.put(rule.id(), rule.json());
        ctx.output(IngestDescriptors.RULE_STATUS, definition(record, rule.json(), "active", null));
    }

    @Override
    public void processElement(RuleEvent event, ReadOnlyContext ctx, Collector<Alert> out)
            throws Exception {
        RuleEngine rules = engine(ctx.getBroadcastState(IngestDescriptors.RULES));
        RuleMemory state = memory.value() == null ? new RuleMemory() : memory.value();
        emit(rules.onEvent(state, event), ctx, out);
        store(state, ctx);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        RuleMemory state = memory.value();
        if (state == null) {
            return;
        }
        Long flushAt = metricsFlushAt.value();
        if (flushAt != null && flushAt <= ctx.timerService().currentProcessingTime()) {
            metricsFlushAt.clear();
            for (RuleMemory.RuleStats stats : state.stats) {
                ObjectNode doc =
                        JSON.createObjectNode()
                                .put("ruleId", stats.ruleId)
                                .put("evaluations", stats.evaluations)
                                .put("firings", stats.firings)
                                .put(
                                        "lastFiredAt",
                                        stats.lastFiredAt == 0
                                                ? null
                                                : java.time.Instant.ofEpochMilli(stats.lastFiredAt)
                                                        .toString());
                ctx.output(
                        IngestDescriptors.RULE_STATUS,
                        new RuleStatus(
                                stats.ruleId,
                                RuleStatus.METRICS,
                                stats.evaluations,
                                doc.toString()));
            }
        }
        RuleEngine rules = engine(ctx.getBroadcastState(IngestDescriptors.RULES));
        emit(rules.onTime(state, ctx.timerService().currentWatermark()), ctx, out);
        store(state, ctx);
    }

    private void emit(List<RuleEngine.Firing> firings, ReadOnlyContext ctx, Collector<Alert> out) {
        for (RuleEngine.Firing firing : firings) {
            Alert alert = Alerts.alert(firing);
            out.collect(alert);
            Alerts.actions(firing, alert)
                    .forEach(change -> ctx.output(IngestDescriptors.RULE_ACTIONS, change));
        }
    }

    private void store(RuleMemory state, ReadOnlyContext ctx) throws Exception {
        long deadline = RuleEngine.nextDeadline(state);
        if (deadline != Long.MAX_VALUE) {
            ctx.timerService().registerEventTimeTimer(deadline);
        }
        if (!state.stats.isEmpty() && metricsFlushAt.value() == null) {
            long at = ctx.timerService().currentProcessingTime() + METRICS_INTERVAL_MILLIS;
            ctx.timerService().registerProcessingTimeTimer(at);
            metricsFlushAt.update(at);
        }
        memory.update(state);
    }

    /** The engine for the current rule set, rebuilt only when the set changed. */
    private RuleEngine engine(ReadOnlyBroadcastState<String, String> rules) throws Exception {
        List<String> documents = new ArrayList<>();
        for (Map.Entry<String, String> e : rules.immutableEntries()) {
            documents.add(e.getValue());
        }
        documents.sort(null);
        int hash = documents.hashCode();
        if (engine == null || hash != engineRulesHash) {
            List<Rule> parsed = new ArrayList<>();
            for (String document : documents) {
                parsed.add(RuleParser.parse(document));
            }
            engine = new RuleEngine(parsed);
            engineRulesHash = hash;
        }
        return engine;
    }

    private static RuleStatus definition(
            RuleRecord record, String activeJson, String status, String reason) {
        ObjectNode doc = JSON.createObjectNode().put("ruleId", record.ruleId).put("status", status);
        if (activeJson != null) {
            try {
                ObjectNode active = (ObjectNode) JSON.readTree(activeJson);
                doc.set("rule", active);
                if ("rejected".equals(status)) {
                    doc.put("status", "active");
                }
            } catch (Exception e) {
                throw new IllegalStateException("an active rule is not JSON", e);
            }
        }
        if (reason != null) {
            doc.putObject("lastRejection").put("reason", reason).put("offset", record.offset);
        }
        return new RuleStatus(
                record.ruleId, RuleStatus.DEFINITION, record.offset + 1, doc.toString());
    }
}
