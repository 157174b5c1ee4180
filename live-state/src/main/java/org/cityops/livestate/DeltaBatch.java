package org.cityops.livestate;

import java.util.List;

/**
 * Deltas after a position. {@code gap} is true when the position is older than what the bounded
 * stream still holds: the reader has missed deltas and needs a fresh snapshot.
 */
public record DeltaBatch(List<Delta> deltas, boolean gap) {}
