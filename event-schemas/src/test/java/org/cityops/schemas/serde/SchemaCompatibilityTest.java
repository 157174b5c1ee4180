package org.cityops.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SchemaCompatibilityTest {

    static List<SchemaHistory.Version> releasedVersions() {
        return SchemaHistory.all();
    }

    @Test
    void everyRecordOnKafkaHasAReleasedVersion() {
        assertThat(releasedVersions())
                .extracting(SchemaHistory.Version::fullName)
                .contains(
                        "org.cityops.schemas.feeds.PoliceCall",
                        "org.cityops.schemas.feeds.FireAlarm",
                        "org.cityops.schemas.feeds.MedicalCall",
                        "org.cityops.schemas.feeds.TrafficIncident",
                        "org.cityops.schemas.feeds.TrafficReading",
                        "org.cityops.schemas.city.CityEvent",
                        "org.cityops.schemas.city.Incident",
                        "org.cityops.schemas.city.DeadLetter");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releasedVersions")
    void currentSchemaReadsWhatEveryReleasedVersionWroteAndViceVersa(SchemaHistory.Version released)
            throws Exception {
        Schema current = SpecificData.get().getSchema(Class.forName(released.fullName()));

        assertThat(compatibility(current, released.schema()))
                .as(
                        "current %s reads data written with %s",
                        released.fullName(), released.version())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(compatibility(released.schema(), current))
                .as(
                        "%s readers still read data written with the current schema",
                        released.version())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @Test
    void detectsAChangeThatWouldBreakOldData() {
        Schema released =
                SchemaHistory.previousVersionsOf("org.cityops.schemas.feeds.PoliceCall").get(0);
        // A new required field without a default cannot be filled from old records.
        String broken =
                released.toString()
                        .replace(
                                "{\"name\":\"callId\"",
                                "{\"name\":\"unit\",\"type\":\"string\"},{\"name\":\"callId\"");
        Schema changed = new Schema.Parser().parse(broken);

        assertThat(compatibility(changed, released))
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    private static SchemaCompatibilityType compatibility(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType();
    }
}
