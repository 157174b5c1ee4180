package org.cityops.schemas.cap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CapMessagesTest {

    static final Path EXAMPLES =
            Path.of(System.getProperty("cityops.root", "..")).resolve("data/cap-examples");

    static Stream<Path> examples() throws Exception {
        return Files.list(EXAMPLES).filter(f -> f.toString().endsWith(".xml")).sorted();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyExampleIsValidCap12AndRoundTrips(Path file) throws Exception {
        CapAlert alert = CapMessages.parse(Files.readAllBytes(file));
        assertThat(alert.identifier()).isNotBlank();
        assertThat(alert.sent()).isNotNull();

        byte[] written = CapMessages.write(alert);
        CapAlert again = CapMessages.parse(written); // what we write is valid CAP 1.2 too
        assertThat(again).usingRecursiveComparison().isEqualTo(alert);
    }

    @Test
    void theStandardsExamplesReadAsTheyAreWritten() throws Exception {
        CapAlert earthquake = read("v1dot2_appendix_adot3.xml");
        assertThat(earthquake.msgType()).isEqualTo("Update");
        assertThat(earthquake.rootKey()).isEqualTo("trinet@caltech.edu/TRI13970876.1");
        assertThat(earthquake.references())
                .singleElement()
                .satisfies(
                        r ->
                                assertThat(r.sent())
                                        .isEqualTo(
                                                OffsetDateTime.parse("2003-06-11T20:30:00-07:00")));
        CapAlert.Area area = earthquake.infos().get(0).areas().get(0);
        assertThat(area.circles()).containsExactly("32.9525,-115.5527 0");

        CapAlert thunderstorm = read("v1dot2_appendix_adot2.xml");
        CapAlert.Area county = thunderstorm.infos().get(0).areas().get(0);
        assertThat(CapMessages.polygonPoints(county.polygons().get(0))).hasSizeGreaterThan(3);
        assertThat(county.geocodes()).extracting(CapAlert.ValuePair::valueName).contains("SAME");

        CapAlert tsunami = read("google-PAAQ-4-mg5a94.xml");
        assertThat(tsunami.rootKey())
                .as("the first reference is the original alert")
                .isEqualTo("wcatwc@noaa.gov/PAAQ-1-mg5a94");
        assertThat(tsunami.references()).hasSize(3);
    }

    @Test
    void aMessageThatIsNotCap12IsRefusedNamingWhatIsWrong() throws Exception {
        String valid = Files.readString(EXAMPLES.resolve("v1dot2_appendix_adot1.xml"));
        assertRefused(valid.replace("<sender>", "<x>").replace("</sender>", "</x>"), "sender");
        assertRefused(valid.replace("<status>Actual</status>", "<status>Real</status>"), "Real");
        assertRefused(
                valid.replace(
                                "<status>Actual</status>\n    <msgType>Alert</msgType>",
                                "<msgType>Alert</msgType>\n    <status>Actual</status>")
                        .replace(
                                "<status>Actual</status>\r\n    <msgType>Alert</msgType>",
                                "<msgType>Alert</msgType>\r\n    <status>Actual</status>"),
                "msgType");
        assertRefused(
                valid.replace(
                        "urn:oasis:names:tc:emergency:cap:1.2",
                        "urn:oasis:names:tc:emergency:cap:1.1"),
                "cap:1.1");
        assertRefused(valid.substring(0, valid.length() / 2), "well-formed");
        assertRefused(
                "<?xml version=\"1.0\"?><!DOCTYPE alert [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                        + "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">&x;</alert>",
                "DOCTYPE");
        assertRefused(
                valid.replace(
                        "<sent>2003-04-02T14:39:01-05:00</sent>",
                        "<sent>2003-04-02T14:39:01Z</sent>"),
                "sent");
    }

    @Test
    void theRulesTheGrammarCannotSayAreCheckedToo() throws Exception {
        String storm = Files.readString(EXAMPLES.resolve("v1dot2_appendix_adot2.xml"));
        String polygon =
                storm.substring(storm.indexOf("<polygon>") + 9, storm.indexOf("</polygon>"));
        String open = polygon.substring(0, polygon.lastIndexOf(' '));
        assertThatThrownBy(
                        () ->
                                CapMessages.parse(
                                        storm.replace(polygon, open)
                                                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CapMessages.CapInvalid.class)
                .hasMessageContaining("polygon: the first and last pairs must be the same");
        assertThatThrownBy(
                        () ->
                                CapMessages.parse(
                                        storm.replace(
                                                        polygon,
                                                        "95.0,-80.0 38.0,-80.0 38.0,-81.0 95.0,-80.0")
                                                .getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("outside WGS 84");

        String quake = Files.readString(EXAMPLES.resolve("v1dot2_appendix_adot3.xml"));
        assertThatThrownBy(
                        () ->
                                CapMessages.parse(
                                        quake.replaceAll("<references>[^<]*</references>", "")
                                                .getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("references: an Update must name");
        assertThatThrownBy(
                        () ->
                                CapMessages.parse(
                                        quake.replace("32.9525,-115.5527 0", "32.9525,-115.5527")
                                                .getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("circle");
        assertThatThrownBy(
                        () ->
                                CapMessages.parse(
                                        quake.replace(
                                                        "<identifier>TRI13970876.2</identifier>",
                                                        "<identifier>TRI 2</identifier>")
                                                .getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("identifier: must not contain spaces");
    }

    @Test
    void capTimesAreWrittenWithAnOffsetNeverZ() {
        assertThat(CapMessages.format(OffsetDateTime.parse("2018-12-08T10:00:00Z")))
                .isEqualTo("2018-12-08T10:00:00+00:00");
    }

    private static CapAlert read(String name) throws Exception {
        return CapMessages.parse(Files.readAllBytes(EXAMPLES.resolve(name)));
    }

    private static void assertRefused(String xml, String mention) {
        assertThatThrownBy(() -> CapMessages.parse(xml.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CapMessages.CapInvalid.class)
                .hasMessageContaining(mention);
    }
}
