package org.cityops.livestate;

/** One entry of the screen delta stream: an incident's new state at a stream position. */
public record Delta(String streamId, String incidentId, long version, String document) {}
