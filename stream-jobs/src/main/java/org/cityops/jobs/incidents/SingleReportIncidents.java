package org.cityops.jobs.incidents;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.cityops.jobs.IngestDescriptors;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.city.Incident;

/**
 * One incident per report, keyed by event id, until fusion replaces it. The incident is kept for a
 * day after its last report (state TTL) so UPDATE and CANCEL find it.
 */
public final class SingleReportIncidents extends KeyedProcessFunction<String, CityEvent, Incident> {

    private transient ValueState<Incident> incident;

    @Override
    public void open(OpenContext context) {
        incident = getRuntimeContext().getState(IngestDescriptors.singleReportIncident());
    }

    @Override
    public void processElement(CityEvent event, Context ctx, Collector<Incident> out)
            throws Exception {
        Incident current = incident.value();
        Incident next =
                current == null
                        ? IncidentBuilder.open(event)
                        : IncidentBuilder.revise(current, event);
        incident.update(next);
        out.collect(next);
    }
}
