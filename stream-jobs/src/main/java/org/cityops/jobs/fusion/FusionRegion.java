package org.cityops.jobs.fusion;

import org.apache.flink.api.java.functions.KeySelector;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.city.FeedbackCommand;

/**
 * The key of fusion: one region per city. Emergency reports are a few per second even in a very
 * large city, so one keyed instance per city fuses them all, and nothing depends on where a region
 * or cell boundary falls. (Sizing and the way to split a metropolis into regions: docs/fusion.md.)
 */
public final class FusionRegion {

    public static final String CITY = "city";

    private FusionRegion() {}

    public static final class OfEvent implements KeySelector<CityEvent, String> {
        @Override
        public String getKey(CityEvent event) {
            return CITY;
        }
    }

    public static final class OfCommand implements KeySelector<FeedbackCommand, String> {
        @Override
        public String getKey(FeedbackCommand command) {
            return CITY;
        }
    }
}
