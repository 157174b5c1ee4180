package org.cityops.schemas.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.cityops.schemas.Department;
import org.cityops.schemas.city.CommandKind;
import org.cityops.schemas.city.FeedbackCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FeedbackLinesTest {

    static final String GOOD =
            "{\"commandId\":\"SFFD-1/ON_SCENE\",\"kind\":\"ON_SCENE\",\"incidentId\":\"\","
                    + "\"reportFeed\":\"medical.calls\",\"reportId\":\"SFFD-1\",\"unit\":\"M52\","
                    + "\"department\":\"medical\",\"actor\":\"sffd-cad\",\"actorRole\":\"department-system\","
                    + "\"at\":\"2017-01-01T00:04:18-08:00\"}";

    @Test
    void aUnitStatusLineBecomesTheCommandAndBackUnchanged() {
        FeedbackLines.Parsed parsed = FeedbackLines.parse(GOOD);

        assertThat(parsed.violation()).isNull();
        FeedbackCommand command = parsed.command();
        assertThat(command.getKind()).isEqualTo(CommandKind.ON_SCENE);
        assertThat(command.getDepartment()).isEqualTo(Department.medical);
        assertThat(command.getAt()).isEqualTo(Instant.parse("2017-01-01T08:04:18Z"));
        assertThat(FeedbackLines.key(command)).isEqualTo("medical.calls/SFFD-1");
        assertThat(FeedbackLines.parse(FeedbackLines.toLine(command)).command()).isEqualTo(command);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "not a unit status|\"kind\":\"ON_SCENE\"|\"kind\":\"MERGE\"|kind",
                "unknown feed|\"reportFeed\":\"medical.calls\"|\"reportFeed\":\"ambulance\"|reportFeed",
                "blank report|\"reportId\":\"SFFD-1\"|\"reportId\":\" \"|reportId",
                "no department|\"department\":\"medical\",||department",
                "time without offset|2017-01-01T00:04:18-08:00|2017-01-01T00:04:18|at",
                "blank command id|\"commandId\":\"SFFD-1/ON_SCENE\"|\"commandId\":\"\"|commandId",
            })
    void aBadLineIsRefusedNamingTheField(String what, String replace, String with, String field) {
        FeedbackLines.Parsed parsed =
                FeedbackLines.parse(GOOD.replace(replace, with == null ? "" : with));

        assertThat(parsed.command()).as(what).isNull();
        assertThat(parsed.violation().field()).as(what).isEqualTo(field);
    }
}
