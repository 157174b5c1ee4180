package org.cityops.schemas.cap;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads and writes CAP 1.2 XML. Reading validates against the CAP 1.2 grammar ({@code
 * CAP-v1.2.xsd}) and then the rules the grammar cannot say (section 3.2: polygon closure and
 * coordinate ranges, circle and reference formats, identifiers without spaces or commas); a message
 * that breaks any of them is refused with a {@link CapInvalid} naming the element. No DOCTYPE, no
 * external entities: CAP arrives from outside the city's network. Thread-safe.
 */
public final class CapMessages {

    public static final String NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2";

    /** Large enough for IPAWS messages with an embedded resource (about 450 KB). */
    public static final int MAX_BYTES = 2 * 1024 * 1024;

    private static final DateTimeFormatter CAP_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");
    private static final Schema SCHEMA = loadSchema();
    private static final String CURRENT_ELEMENT =
            "http://apache.org/xml/properties/dom/current-element-node";

    private CapMessages() {}

    /** A CAP message that is not valid CAP 1.2: what is wrong, and where. */
    public static final class CapInvalid extends IllegalArgumentException {
        private final String element;

        public CapInvalid(String element, String message) {
            super(element == null ? message : element + ": " + message);
            this.element = element;
        }

        public String element() {
            return element;
        }
    }

    public static CapAlert parse(byte[] xml) {
        if (xml.length > MAX_BYTES) {
            throw new CapInvalid(null, "message of " + xml.length + " bytes exceeds " + MAX_BYTES);
        }
        Document document;
        try {
            document = builder().parse(new ByteArrayInputStream(xml));
        } catch (SAXException e) {
            throw new CapInvalid(null, "not well-formed XML: " + e.getMessage());
        } catch (IOException e) {
            throw new CapInvalid(null, "unreadable: " + e.getMessage());
        }
        validate(document);
        return read(document.getDocumentElement());
    }

    /** Validates a document against the CAP 1.2 grammar and rules; throws {@link CapInvalid}. */
    public static void validate(byte[] xml) {
        parse(xml);
    }

    private static void validate(Document document) {
        Element root = document.getDocumentElement();
        if (!"alert".equals(root.getLocalName()) || !NAMESPACE.equals(root.getNamespaceURI())) {
            throw new CapInvalid(
                    null,
                    "the root element must be alert in "
                            + NAMESPACE
                            + ", not "
                            + root.getLocalName()
                            + " in "
                            + root.getNamespaceURI());
        }
        javax.xml.validation.Validator validator = SCHEMA.newValidator();
        // the element being validated when the grammar is broken: named in the error
        String[] at = new String[1];
        validator.setErrorHandler(
                new org.xml.sax.helpers.DefaultHandler() {
                    @Override
                    public void error(SAXParseException e) throws SAXException {
                        try {
                            Object node = validator.getProperty(CURRENT_ELEMENT);
                            if (node instanceof Element element) {
                                at[0] = element.getLocalName();
                            }
                        } catch (SAXException unsupported) {
                            // a validator that cannot say: the message alone
                        }
                        throw e;
                    }

                    @Override
                    public void fatalError(SAXParseException e) throws SAXException {
                        error(e);
                    }
                });
        try {
            validator.validate(new DOMSource(document));
        } catch (SAXException | IOException e) {
            throw new CapInvalid(at[0], "not CAP 1.2: " + e.getMessage());
        }
    }

    private static CapAlert read(Element alert) {
        String identifier = text(alert, "identifier");
        String sender = text(alert, "sender");
        noSpaceOrComma("identifier", identifier);
        noSpaceOrComma("sender", sender);
        String msgType = text(alert, "msgType");
        List<CapAlert.Reference> references = references(text(alert, "references"));
        if (("Update".equals(msgType) || "Cancel".equals(msgType)) && references.isEmpty()) {
            throw new CapInvalid(
                    "references", "an " + msgType + " must name the message(s) it refers to");
        }
        List<CapAlert.Info> infos = new ArrayList<>();
        for (Element info : children(alert, "info")) {
            infos.add(info(info));
        }
        return new CapAlert(
                identifier,
                sender,
                time("sent", text(alert, "sent")),
                text(alert, "status"),
                msgType,
                text(alert, "source"),
                text(alert, "scope"),
                text(alert, "note"),
                references,
                text(alert, "incidents"),
                infos);
    }

    private static CapAlert.Info info(Element info) {
        List<CapAlert.Area> areas = new ArrayList<>();
        for (Element area : children(info, "area")) {
            List<String> polygons = texts(area, "polygon");
            polygons.forEach(CapMessages::checkPolygon);
            List<String> circles = texts(area, "circle");
            circles.forEach(CapMessages::checkCircle);
            areas.add(
                    new CapAlert.Area(
                            text(area, "areaDesc"), polygons, circles, pairs(area, "geocode")));
        }
        return new CapAlert.Info(
                text(info, "language") == null ? "en-US" : text(info, "language"),
                texts(info, "category"),
                text(info, "event"),
                texts(info, "responseType"),
                text(info, "urgency"),
                text(info, "severity"),
                text(info, "certainty"),
                time("effective", text(info, "effective")),
                time("onset", text(info, "onset")),
                time("expires", text(info, "expires")),
                text(info, "senderName"),
                text(info, "headline"),
                text(info, "description"),
                text(info, "instruction"),
                text(info, "web"),
                text(info, "contact"),
                pairs(info, "parameter"),
                areas);
    }

    /** Points of a polygon as {@code [lat, lon]}: at least four, the first equal to the last. */
    public static List<double[]> polygonPoints(String polygon) {
        String[] pairs = polygon.strip().split("\\s+");
        List<double[]> points = new ArrayList<>(pairs.length);
        for (String pair : pairs) {
            points.add(point("polygon", pair));
        }
        return points;
    }

    /** A circle as {@code [lat, lon, radiusKm]}. */
    public static double[] circle(String circle) {
        String[] parts = circle.strip().split("\\s+");
        if (parts.length != 2) {
            throw new CapInvalid("circle", "'" + circle + "' is not 'lat,lon radius'");
        }
        double[] centre = point("circle", parts[0]);
        double radius = number("circle", parts[1]);
        if (radius < 0) {
            throw new CapInvalid("circle", "radius " + parts[1] + " is negative");
        }
        return new double[] {centre[0], centre[1], radius};
    }

    private static void checkPolygon(String polygon) {
        List<double[]> points = polygonPoints(polygon);
        if (points.size() < 4) {
            throw new CapInvalid(
                    "polygon", "needs at least 4 coordinate pairs, has " + points.size());
        }
        double[] first = points.get(0);
        double[] last = points.get(points.size() - 1);
        if (first[0] != last[0] || first[1] != last[1]) {
            throw new CapInvalid("polygon", "the first and last pairs must be the same");
        }
    }

    private static void checkCircle(String circle) {
        circle(circle);
    }

    private static double[] point(String element, String pair) {
        String[] latLon = pair.split(",");
        if (latLon.length != 2) {
            throw new CapInvalid(element, "'" + pair + "' is not 'lat,lon'");
        }
        double lat = number(element, latLon[0]);
        double lon = number(element, latLon[1]);
        if (lat < -90 || lat > 90 || lon < -180 || lon > 180) {
            throw new CapInvalid(element, "'" + pair + "' is outside WGS 84 ranges");
        }
        return new double[] {lat, lon};
    }

    private static double number(String element, String text) {
        try {
            double value = Double.parseDouble(text);
            if (!Double.isFinite(value)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new CapInvalid(element, "'" + text + "' is not a number");
        }
    }

    private static List<CapAlert.Reference> references(String text) {
        List<CapAlert.Reference> references = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return references;
        }
        for (String token : text.strip().split("\\s+")) {
            String[] parts = token.split(",");
            if (parts.length != 3) {
                throw new CapInvalid(
                        "references", "'" + token + "' is not 'sender,identifier,sent'");
            }
            references.add(
                    new CapAlert.Reference(parts[0], parts[1], time("references", parts[2])));
        }
        return references;
    }

    private static void noSpaceOrComma(String element, String value) {
        if (value.chars().anyMatch(c -> c == ' ' || c == ',' || c == '<' || c == '&')) {
            throw new CapInvalid(element, "must not contain spaces, commas, < or &");
        }
    }

    private static OffsetDateTime time(String element, String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, CAP_TIME);
        } catch (DateTimeParseException e) {
            throw new CapInvalid(element, "'" + text + "' is not a CAP date-time");
        }
    }

    /** A CAP date-time: seconds and an explicit offset, never "Z" (CAP 1.2 section 3.3.2). */
    public static String format(OffsetDateTime time) {
        return CAP_TIME.format(time);
    }

    // ---- writing --------------------------------------------------------------------------------

    /** The alert as CAP 1.2 XML (UTF-8), in the standard's element order. */
    public static byte[] write(CapAlert alert) {
        try {
            Document doc = builder().newDocument();
            Element root = doc.createElementNS(NAMESPACE, "alert");
            doc.appendChild(root);
            add(root, "identifier", alert.identifier());
            add(root, "sender", alert.sender());
            add(root, "sent", format(alert.sent()));
            add(root, "status", alert.status());
            add(root, "msgType", alert.msgType());
            add(root, "source", alert.source());
            add(root, "scope", alert.scope());
            add(root, "note", alert.note());
            if (!alert.references().isEmpty()) {
                add(
                        root,
                        "references",
                        String.join(
                                " ",
                                alert.references().stream()
                                        .map(CapAlert.Reference::text)
                                        .toList()));
            }
            add(root, "incidents", alert.incidents());
            for (CapAlert.Info info : alert.infos()) {
                Element i = add(root, "info", null);
                add(i, "language", info.language());
                info.categories().forEach(c -> add(i, "category", c));
                add(i, "event", info.event());
                info.responseTypes().forEach(r -> add(i, "responseType", r));
                add(i, "urgency", info.urgency());
                add(i, "severity", info.severity());
                add(i, "certainty", info.certainty());
                add(i, "effective", info.effective() == null ? null : format(info.effective()));
                add(i, "onset", info.onset() == null ? null : format(info.onset()));
                add(i, "expires", info.expires() == null ? null : format(info.expires()));
                add(i, "senderName", info.senderName());
                add(i, "headline", info.headline());
                add(i, "description", info.description());
                add(i, "instruction", info.instruction());
                add(i, "web", info.web());
                add(i, "contact", info.contact());
                for (CapAlert.ValuePair p : info.parameters()) {
                    Element parameter = add(i, "parameter", null);
                    add(parameter, "valueName", p.valueName());
                    add(parameter, "value", p.value());
                }
                for (CapAlert.Area area : info.areas()) {
                    Element a = add(i, "area", null);
                    add(a, "areaDesc", area.areaDesc());
                    area.polygons().forEach(p -> add(a, "polygon", p));
                    area.circles().forEach(c -> add(a, "circle", c));
                    for (CapAlert.ValuePair g : area.geocodes()) {
                        Element geocode = add(a, "geocode", null);
                        add(geocode, "valueName", g.valueName());
                        add(geocode, "value", g.value());
                    }
                }
            }
            Transformer transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            transformer.setOutputProperty(OutputKeys.INDENT, "yes");
            transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            transformer.transform(new DOMSource(doc), new StreamResult(out));
            return out.toByteArray();
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot write CAP XML", e);
        }
    }

    private static Element add(Element parent, String name, String text) {
        if (text == null && !List.of("info", "parameter", "area", "geocode").contains(name)) {
            return null;
        }
        Element element = parent.getOwnerDocument().createElementNS(NAMESPACE, name);
        if (text != null) {
            element.setTextContent(text);
        }
        parent.appendChild(element);
        return element;
    }

    // ---- DOM helpers ----------------------------------------------------------------------------

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e
                    && name.equals(e.getLocalName())
                    && NAMESPACE.equals(e.getNamespaceURI())) {
                found.add(e);
            }
        }
        return found;
    }

    private static String text(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0).getTextContent().strip();
    }

    private static List<String> texts(Element parent, String name) {
        return map(children(parent, name), e -> e.getTextContent().strip());
    }

    private static List<CapAlert.ValuePair> pairs(Element parent, String name) {
        return map(
                children(parent, name),
                e -> new CapAlert.ValuePair(text(e, "valueName"), text(e, "value")));
    }

    private static <T> List<T> map(List<Element> elements, Function<Element, T> f) {
        List<T> out = new ArrayList<>(elements.size());
        elements.forEach(e -> out.add(f.apply(e)));
        return out;
    }

    private static DocumentBuilder builder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(
                    new org.xml.sax.helpers.DefaultHandler() {
                        @Override
                        public void fatalError(SAXParseException e) throws SAXException {
                            throw e; // thrown, not printed to stderr
                        }

                        @Override
                        public void error(SAXParseException e) throws SAXException {
                            throw e;
                        }
                    });
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Schema loadSchema() {
        try {
            SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            try (var in = CapMessages.class.getResourceAsStream("CAP-v1.2.xsd")) {
                return factory.newSchema(new javax.xml.transform.stream.StreamSource(in));
            }
        } catch (SAXException | IOException e) {
            throw new IllegalStateException("CAP-v1.2.xsd does not load", e);
        }
    }
}
