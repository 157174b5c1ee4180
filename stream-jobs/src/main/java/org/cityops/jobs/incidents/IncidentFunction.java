package org.cityops.jobs.incidents;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.cityops.jobs.IngestDescriptors;
import org.cityops.jobs.fusion.IncidentChange;
import org.cityops.schemas.city.Incident;

/**
 * Keyed by incident id: keeps the incident and applies fusion's changes with {@link
 * IncidentAssembler}.
 */
public final class IncidentFunction extends KeyedProcessFunction<String, IncidentChange, Incident> {

    private transient ValueState<Incident> incident;

    @Override
    public void open(OpenContext context) {
        incident = getRuntimeContext().getState(IngestDescriptors.incident());
    }

    @Override
    public void processElement(IncidentChange change, Context ctx, Collector<Incident> out)
            throws Exception {
        Incident next = IncidentAssembler.apply(incident.value(), change);
        if (next != null) {
            incident.update(next);
            out.collect(next);
        }
    }
}
