package org.cityops.replay.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.List;
import org.cityops.schemas.city.FeedbackCommand;
import org.cityops.schemas.contract.Decoded;
import org.cityops.schemas.contract.FeedDecoder;
import org.cityops.schemas.contract.FeedSpec;
import org.cityops.schemas.feedback.FeedbackLines;
import org.junit.jupiter.api.Test;

/** Converters on rows copied from the real DataSF files (test resources / fixtures). */
class ConvertersTest {

    private static final ZonedDateTime DAY = ConvertMain.DEMO_DAY.atStartOfDay(Json.SAN_FRANCISCO);

    @Test
    void policeIncidentsBecomeOneContractCallEachAndRowsWithoutCoordinatesAreKeptToBeRejected()
            throws Exception {
        List<String> lines = SfpdConverter.convert(fixture("sfpd.csv"), DAY, DAY.plusDays(1));
        FeedDecoder<?> decoder = new FeedDecoder<>(FeedSpec.POLICE_CALLS);

        assertThat(lines).hasSize(4);
        assertThat(lines).map(decoder::decodeJson).filteredOn(Decoded::accepted).hasSize(3);
        assertThat(lines)
                .map(decoder::decodeJson)
                .filteredOn(d -> !d.accepted())
                .singleElement()
                .satisfies(
                        d ->
                                assertThat(((Decoded.Rejected<?>) d).violation().message())
                                        .isEqualTo("location: required field is missing"));
        assertThat(lines.get(0))
                .contains("\"callId\":\"SFPD-")
                .contains("-08:00")
                .contains("415-555-01");
    }

    @Test
    void fireAndEmsUnitRowsBecomeOneReportPerCall() throws Exception {
        SfFireEmsConverter.Output output =
                SfFireEmsConverter.convert(fixture("sffd.csv"), DAY, DAY.plusDays(1));

        assertThat(output.medicalCalls()).hasSize(5);
        assertThat(output.fireAlarms())
                .singleElement()
                .asString()
                .contains(
                        "\"alarmId\":\"SFFD-183423401\"",
                        "\"source\":\"AUTOMATIC_DETECTOR\"",
                        "\"category\":\"ALARM\"");
        FeedDecoder<?> medical = new FeedDecoder<>(FeedSpec.MEDICAL_CALLS);
        assertThat(output.medicalCalls())
                .allSatisfy(line -> assertThat(medical.decodeJson(line).accepted()).isTrue());
        assertThat(
                        new FeedDecoder<>(FeedSpec.FIRE_ALARMS)
                                .decodeJson(output.fireAlarms().get(0))
                                .accepted())
                .isTrue();
    }

    @Test
    void theFirstUnitOfEachCallReportsItsPhasesAsItsDepartmentsUnitStatuses() throws Exception {
        SfFireEmsConverter.Output output =
                SfFireEmsConverter.convert(fixture("sffd.csv"), DAY, DAY.plusDays(1));
        List<FeedbackCommand> statuses =
                output.unitStatuses().stream()
                        .map(FeedbackLines::parse)
                        .peek(p -> assertThat(p.violation()).isNull())
                        .map(FeedbackLines.Parsed::command)
                        .toList();

        // call 183423401: two units; the first dispatched (sequence 1, E36) answers, not T01
        assertThat(statuses)
                .filteredOn(c -> c.getReportId().equals("SFFD-183423401"))
                .extracting(
                        c -> c.getKind().name(),
                        FeedbackCommand::getUnit,
                        c -> c.getAt().toString(),
                        FeedbackCommand::getReportFeed,
                        c -> c.getDepartment().name())
                .containsExactly(
                        tuple("ACKNOWLEDGE", "E36", "2018-12-09T03:09:00Z", "fire.alarms", "fire"),
                        tuple("EN_ROUTE", "E36", "2018-12-09T03:09:00Z", "fire.alarms", "fire"),
                        tuple("ON_SCENE", "E36", "2018-12-09T03:12:00Z", "fire.alarms", "fire"),
                        tuple("RESOLVE", "E36", "2018-12-09T03:25:00Z", "fire.alarms", "fire"));
        // call 183424186 has no On Scene time (the unit never arrived): no such status
        assertThat(statuses)
                .filteredOn(c -> c.getReportId().equals("SFFD-183424186"))
                .extracting(c -> c.getKind().name())
                .containsExactly("ACKNOWLEDGE", "EN_ROUTE", "RESOLVE");
        assertThat(statuses)
                .filteredOn(c -> c.getReportId().equals("SFFD-183424186"))
                .allSatisfy(
                        c -> {
                            assertThat(c.getReportFeed()).isEqualTo("medical.calls");
                            assertThat(c.getDepartment().name()).isEqualTo("medical");
                        });
        assertThat(statuses).extracting(FeedbackCommand::getAt).isSorted();
        assertThat(statuses).extracting(FeedbackCommand::getCommandId).doesNotHaveDuplicates();
    }

    @Test
    void relocationKeepsRelativePositionsInsideSanFrancisco() {
        double[] sw = Relocation.AUSTIN.toSanFrancisco(30.15, -97.90);
        double[] ne = Relocation.AUSTIN.toSanFrancisco(30.50, -97.60);
        assertThat(sw).containsExactly(Relocation.SF_MIN_LAT, Relocation.SF_MIN_LON);
        assertThat(ne).containsExactly(Relocation.SF_MAX_LAT, Relocation.SF_MAX_LON);
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(ConvertersTest.class.getResource("/fixtures/" + name).toURI());
    }
}
