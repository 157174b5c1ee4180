package org.cityops.jobs.kpi;

import java.util.ArrayList;
import java.util.List;

/**
 * One group's KPI facts of one day (a Flink POJO): phase durations kept whole for exact
 * percentiles.
 */
public class DayKpi {

    public String group;
    public String day;
    public List<Long> dispatch = new ArrayList<>();
    public List<Long> acknowledge = new ArrayList<>();
    public List<Long> enRoute = new ArrayList<>();
    public List<Long> onScene = new ArrayList<>();
    public List<Long> resolve = new ArrayList<>();
    public List<Long> close = new ArrayList<>();
    public long opened;
    public long closed;
    public long closedOnTime;
    public long breaches;
    public long reopened;
    public long satisfactionSum;
    public long satisfactionCount;
    public long facts;

    public void add(KpiFact fact) {
        facts++;
        switch (fact.what) {
            case "dispatch" -> replace(dispatch, fact);
            case "acknowledge" -> replace(acknowledge, fact);
            case "enRoute" -> replace(enRoute, fact);
            case "onScene" -> replace(onScene, fact);
            case "resolve" -> replace(resolve, fact);
            case "close" -> replace(close, fact);
            case "opened" -> opened += fact.value;
            case "closed" -> closed += fact.value;
            case "closedOnTime" -> closedOnTime += fact.value;
            case "breach" -> breaches += fact.value;
            case "reopened" -> reopened += fact.value;
            case "satisfaction" -> {
                satisfactionSum += fact.value;
                satisfactionCount++;
            }
            default -> throw new IllegalArgumentException("unknown KPI fact " + fact.what);
        }
    }

    /**
     * Adds a duration; a corrected one takes the place of the duration it replaces, a withdrawn one
     * leaves.
     */
    private static void replace(List<Long> durations, KpiFact fact) {
        if (fact.retract) {
            durations.remove(fact.value);
            return;
        }
        if (fact.replaces != null) {
            durations.remove(fact.replaces); // one occurrence: the value counted for this incident
        }
        durations.add(fact.value);
    }
}
