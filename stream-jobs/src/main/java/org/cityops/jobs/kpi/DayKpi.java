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
            case "dispatch" -> dispatch.add(fact.value);
            case "acknowledge" -> acknowledge.add(fact.value);
            case "enRoute" -> enRoute.add(fact.value);
            case "onScene" -> onScene.add(fact.value);
            case "resolve" -> resolve.add(fact.value);
            case "close" -> close.add(fact.value);
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
}
