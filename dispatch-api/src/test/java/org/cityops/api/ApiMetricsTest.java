package org.cityops.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiMetricsTest {

    @Test
    void anAccessLineNamesWhoAndWhatButNeverTheQueryOrAnythingSpoofable() {
        String line =
                ApiMetrics.accessLine(
                        "getIncident",
                        "GET",
                        "/api/v1/incidents/INC-POL-1",
                        200,
                        4,
                        "op \"7\"",
                        "operator");

        assertThat(line)
                .isEqualTo(
                        "request operation=getIncident method=GET path=/api/v1/incidents/INC-POL-1"
                                + " status=200 ms=4 subject=op__7_ role=operator");
    }
}
