package org.cityops.schemas.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleParserTest {

    static final String GOOD =
            """
            {"id":"mass-casualty","version":2,"description":"d","kind":"threshold",
             "params":{"match":{"departments":["medical"]},"count":3,"groupBy":"radius","radiusMeters":300,"windowSeconds":600},
             "action":{"type":"raiseSeverity","severity":5,"message":"suspected mass casualty"}}""";

    @Test
    void parsesAValidRule() throws Exception {
        Rule rule = RuleParser.parse(GOOD);
        assertThat(rule.id()).isEqualTo("mass-casualty");
        assertThat(rule.version()).isEqualTo(2);
        assertThat(rule.kind()).isEqualTo(Rule.Kind.threshold);
        assertThat(rule.windowMillis()).isEqualTo(600_000);
        assertThat(rule.enabled()).isTrue();
        assertThat(rule.dryRun()).isFalse();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "\"id\":\"mass-casualty\"|\"id\":\"Mass Casualty!\"|id: must be 2-64 lower-case letters",
                "\"version\":2|\"version\":0|version: must be between 1",
                "\"kind\":\"threshold\"|\"kind\":\"magic\"|kind: must be one of threshold, colocation, sequence, absence",
                "\"count\":3|\"count\":1|params.count: must be between 2 and 10000, was 1",
                "\"groupBy\":\"radius\"|\"groupBy\":\"planet\"|params.groupBy: must be one of radius",
                "\"windowSeconds\":600|\"windowSeconds\":86400|params.windowSeconds: is required: seconds between 10 and 7200",
                "[\"medical\"]|[\"army\"]|params.match.departments: 'army' is not police, fire, medical or traffic",
                "\"type\":\"raiseSeverity\"|\"type\":\"launch\"|action.type: must be one of alert",
                "\"severity\":5|\"severity\":9|action.severity: must be between 1 and 5, was 9",
            })
    void refusesABadRuleNamingTheFieldAndTheProblem(String good, String bad, String message) {
        assertThatThrownBy(() -> RuleParser.parse(GOOD.replace(good, bad)))
                .isInstanceOf(RuleException.class)
                .hasMessageContaining(message);
    }

    @Test
    void notifyingNeedsADepartmentAndJsonMustParse() {
        assertThatThrownBy(
                        () ->
                                RuleParser.parse(
                                        GOOD.replace("\"raiseSeverity\"", "\"notifyDepartment\"")))
                .hasMessageContaining("action.department: notifyDepartment needs the department");
        assertThatThrownBy(() -> RuleParser.parse("{not json"))
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> RuleParser.parseAll("[" + GOOD + ",{\"id\":\"x1\"}]"))
                .hasMessageContaining("[1].version");
    }

    @Test
    void theStarterRulesAreValid() throws Exception {
        Path starter = Path.of("..", "rules", "starter-rules.json");
        assertThat(RuleParser.parseAll(Files.readString(starter)))
                .hasSizeGreaterThanOrEqualTo(6)
                .extracting(Rule::kind)
                .contains(Rule.Kind.values());
    }
}
