package org.cityops.livestate;

import java.util.List;

/** A page of incident documents (JSON), newest report first, and how many match in all. */
public record IncidentPage(List<String> documents, long total) {}
