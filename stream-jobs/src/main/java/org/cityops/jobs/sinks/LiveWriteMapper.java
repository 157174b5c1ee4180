package org.cityops.jobs.sinks;

import java.io.Serializable;
import org.cityops.livestate.LiveWrite;

/**
 * Turns a stream element into its live-view write. Named classes, never lambdas, so it serialises.
 */
public interface LiveWriteMapper<T> extends Serializable {

    LiveWrite toWrite(T element);
}
