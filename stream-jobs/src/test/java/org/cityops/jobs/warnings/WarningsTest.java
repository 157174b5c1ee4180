package org.cityops.jobs.warnings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cityops.jobs.ingest.DistrictIndex;
import org.cityops.schemas.cap.CapMessages;
import org.cityops.schemas.city.PublicWarning;
import org.cityops.schemas.city.WarningState;
import org.junit.jupiter.api.Test;

class WarningsTest {

    private static final Path ROOT = Path.of(System.getProperty("cityops.root", ".."));
    private final Warnings warnings = new Warnings(DistrictIndex.sanFrancisco());

    @Test
    void anAlertOverTheCityNamesTheDistrictsItCoversAndItsSeverity() throws Exception {
        PublicWarning advisory = warning("data/demo/cap-sf-wind-advisory-1.xml");
        assertThat(advisory.getWarningId())
                .isEqualTo("demo@cityops.example/CITYOPS-DEMO-WIND-20181208-1");
        assertThat(advisory.getState()).isEqualTo(WarningState.ACTIVE);
        assertThat(advisory.getActual()).isTrue();
        assertThat(advisory.getSeverity()).as("Moderate").isEqualTo(3);
        assertThat(advisory.getAffectedDistricts())
                .contains("Mission", "South of Market", "Tenderloin", "Bayview Hunters Point")
                .doesNotContain("Outer Sunset", "Outer Richmond", "Lakeshore");
        assertThat(advisory.getAreas().get(0).getGeocodes()).containsExactly("SAME=006075");
    }

    @Test
    void anUpdateAndACancelActOnTheAlertTheyReference() throws Exception {
        PublicWarning update = warning("data/demo/cap-sf-wind-advisory-2-update.xml");
        PublicWarning cancel = warning("data/demo/cap-sf-wind-advisory-3-cancel.xml");
        String original = "demo@cityops.example/CITYOPS-DEMO-WIND-20181208-1";
        assertThat(update.getWarningId()).isEqualTo(original);
        assertThat(update.getState()).isEqualTo(WarningState.ACTIVE);
        assertThat(update.getSeverity()).as("Severe").isEqualTo(4);
        assertThat(update.getEvent()).isEqualTo("High Wind Warning");
        assertThat(cancel.getWarningId()).isEqualTo(original);
        assertThat(cancel.getState()).isEqualTo(WarningState.CANCELLED);
        assertThat(cancel.getSent()).isAfter(update.getSent()); // the later message wins
    }

    @Test
    void anExerciseIsRecordedButIsNotActual() throws Exception {
        PublicWarning exercise = warning("data/demo/cap-sf-shelter-exercise.xml");
        assertThat(exercise.getActual()).isFalse();
        assertThat(exercise.getAffectedDistricts())
                .as("a 1 km circle downtown")
                .contains("Financial District/South Beach");
    }

    @Test
    void alertsElsewhereTouchNoDistrictOfTheCity() throws Exception {
        assertThat(warning("data/cap-examples/v1dot2_appendix_adot3.xml").getAffectedDistricts())
                .isEmpty();
        assertThat(warning("data/cap-examples/v1dot2_appendix_adot2.xml").getAffectedDistricts())
                .isEmpty();
    }

    private PublicWarning warning(String file) throws Exception {
        return warnings.toWarning(CapMessages.parse(Files.readAllBytes(ROOT.resolve(file))));
    }
}
