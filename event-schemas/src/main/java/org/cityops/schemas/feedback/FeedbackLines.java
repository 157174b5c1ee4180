package org.cityops.schemas.feedback;

import java.util.EnumSet;
import java.util.Set;
import org.cityops.schemas.Department;
import org.cityops.schemas.city.CommandKind;
import org.cityops.schemas.city.FeedbackCommand;
import org.cityops.schemas.contract.FeedSpec;
import org.cityops.schemas.contract.JsonLineCodec;
import org.cityops.schemas.contract.Violation;

/**
 * {@code dispatch.feedback.jsonl}: a department's own dispatch system reporting its units, one
 * {@link FeedbackCommand} per line with the schema's field names (docs/lifecycle.md, "Unit
 * statuses"). Each line names the report the unit answered ({@code reportFeed}, {@code reportId})
 * rather than an incident, which CityOps resolves. Checked here as the dispatch API checks a
 * request, so a bad line is refused with its reason before it reaches Kafka.
 */
public final class FeedbackLines {

    /** The file name replay recognises, and the topic's base name. */
    public static final String FILE_FEED = "dispatch.feedback";

    static final Set<CommandKind> UNIT_STATUSES =
            EnumSet.of(
                    CommandKind.ACKNOWLEDGE,
                    CommandKind.EN_ROUTE,
                    CommandKind.ON_SCENE,
                    CommandKind.RESOLVE);

    /** The command, or why the line was refused. */
    public record Parsed(FeedbackCommand command, Violation violation) {}

    private FeedbackLines() {}

    public static Parsed parse(String line) {
        JsonLineCodec.Parsed<FeedbackCommand> parsed =
                JsonLineCodec.parse(FeedbackCommand.class, FeedbackCommand.getClassSchema(), line);
        if (parsed.violation() != null) {
            return new Parsed(null, parsed.violation());
        }
        FeedbackCommand command = parsed.record();
        Violation violation = check(command);
        return violation == null ? new Parsed(command, null) : new Parsed(null, violation);
    }

    private static Violation check(FeedbackCommand c) {
        if (c.getCommandId().isBlank()) {
            return Violation.of("commandId", "must not be blank: it makes a repeat harmless");
        }
        if (!UNIT_STATUSES.contains(c.getKind())) {
            return Violation.of(
                    "kind", "a unit status is one of " + UNIT_STATUSES + ", not " + c.getKind());
        }
        if (c.getReportFeed() == null || FeedSpec.byName(c.getReportFeed()).isEmpty()) {
            return Violation.of(
                    "reportFeed",
                    "must name the feed of the report the unit answered, one of "
                            + FeedSpec.all().stream().map(FeedSpec::name).toList());
        }
        if (c.getReportId() == null || c.getReportId().isBlank()) {
            return Violation.of("reportId", "must name the report the unit answered");
        }
        if (c.getDepartment() == null || c.getDepartment() == Department.unknown) {
            return Violation.of("department", "must name the unit's department");
        }
        if (c.getActor().isBlank()) {
            return Violation.of("actor", "must name the reporting system");
        }
        return null;
    }

    /** The Kafka key: the report, so one report's statuses stay in order on one partition. */
    public static String key(FeedbackCommand command) {
        return command.getReportFeed() + "/" + command.getReportId();
    }

    /** The command as one line of {@code dispatch.feedback.jsonl}. */
    public static String toLine(FeedbackCommand command) {
        return JsonLineCodec.toJsonLine(command);
    }
}
