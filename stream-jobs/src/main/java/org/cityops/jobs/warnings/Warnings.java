package org.cityops.jobs.warnings;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.cityops.jobs.ingest.DistrictIndex;
import org.cityops.schemas.cap.CapAlert;
import org.cityops.schemas.cap.CapMessages;
import org.cityops.schemas.city.PublicWarning;
import org.cityops.schemas.city.WarningArea;
import org.cityops.schemas.city.WarningState;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.util.GeometricShapeFactory;

/**
 * A CAP message as a CityOps public warning (plain code, no Flink): its original Alert's id, its
 * state (an Update keeps it active with the new content, a Cancel ends it), its severity on the
 * incidents' 1–5 scale and the districts its polygons and circles touch.
 */
public final class Warnings {

    private static final Map<String, Integer> SEVERITY =
            Map.of("Extreme", 5, "Severe", 4, "Moderate", 3, "Minor", 2, "Unknown", 1);
    private static final double KM_PER_DEGREE_LAT = 111.32;

    private final DistrictIndex districts;
    private final GeometryFactory geometry = new GeometryFactory();

    public Warnings(DistrictIndex districts) {
        this.districts = districts;
    }

    /**
     * The warning a message describes, or null for one that says nothing about a warning (an Ack or
     * an Error message, or one with no info block that does not cancel).
     */
    public PublicWarning toWarning(CapAlert alert) {
        boolean cancel = "Cancel".equals(alert.msgType());
        if (!cancel && !"Alert".equals(alert.msgType()) && !"Update".equals(alert.msgType())) {
            return null;
        }
        if (alert.infos().isEmpty() && !cancel) {
            return null;
        }
        CapAlert.Info info = preferred(alert.infos());
        List<WarningArea> areas = new ArrayList<>();
        TreeSet<String> affected = new TreeSet<>();
        for (CapAlert.Info i : alert.infos()) {
            for (CapAlert.Area area : i.areas()) {
                areas.add(
                        WarningArea.newBuilder()
                                .setDescription(area.areaDesc())
                                .setPolygons(area.polygons())
                                .setCircles(area.circles())
                                .setGeocodes(
                                        area.geocodes().stream()
                                                .map(g -> g.valueName() + "=" + g.value())
                                                .toList())
                                .build());
                affected.addAll(districtsOf(area));
            }
        }
        return PublicWarning.newBuilder()
                .setWarningId(alert.rootKey())
                .setIdentifier(alert.identifier())
                .setSender(alert.sender())
                .setSent(alert.sent().toInstant())
                .setStatus(alert.status())
                .setActual(alert.isActual())
                .setMsgType(alert.msgType())
                .setScope(alert.scope())
                .setState(cancel ? WarningState.CANCELLED : WarningState.ACTIVE)
                .setEvent(info == null ? "Cancelled" : info.event())
                .setCategories(info == null ? List.of() : info.categories())
                .setUrgency(info == null ? "Unknown" : info.urgency())
                .setCapSeverity(info == null ? "Unknown" : info.severity())
                .setCertainty(info == null ? "Unknown" : info.certainty())
                .setSeverity(info == null ? 1 : SEVERITY.getOrDefault(info.severity(), 1))
                .setHeadline(info == null ? alert.note() : info.headline())
                .setDescription(info == null ? null : info.description())
                .setInstruction(info == null ? null : info.instruction())
                .setSenderName(info == null ? null : info.senderName())
                .setOnset(info == null ? null : instant(info.onset()))
                .setExpires(info == null ? null : instant(info.expires()))
                .setAreas(areas)
                .setAffectedDistricts(new ArrayList<>(affected))
                .setReferences(alert.references().stream().map(CapAlert.Reference::text).toList())
                .build();
    }

    /** English first (the city's operating language), else the first block. */
    private static CapAlert.Info preferred(List<CapAlert.Info> infos) {
        return infos.stream()
                .filter(i -> i.language().toLowerCase().startsWith("en"))
                .findFirst()
                .orElse(infos.isEmpty() ? null : infos.get(0));
    }

    /** The districts an area's polygons and circles touch (geocodes name no shape we hold). */
    List<String> districtsOf(CapAlert.Area area) {
        List<String> found = new ArrayList<>();
        for (String polygon : area.polygons()) {
            List<double[]> points = CapMessages.polygonPoints(polygon);
            Coordinate[] ring =
                    points.stream().map(p -> new Coordinate(p[1], p[0])).toArray(Coordinate[]::new);
            Geometry shape = geometry.createPolygon(ring);
            if (!shape.isValid()) {
                shape = shape.buffer(0); // a self-crossing outline: its covered area
            }
            found.addAll(districts.neighborhoodsTouching(shape));
        }
        for (String circle : area.circles()) {
            double[] c = CapMessages.circle(circle);
            found.addAll(districts.neighborhoodsTouching(disc(c[0], c[1], c[2])));
        }
        return found;
    }

    /** A circle on the ground as a lon/lat polygon (degrees of longitude shrink with latitude). */
    private Geometry disc(double lat, double lon, double radiusKm) {
        double radius = Math.max(radiusKm, 0.01); // a point: a few metres
        GeometricShapeFactory shape = new GeometricShapeFactory(geometry);
        shape.setCentre(new Coordinate(lon, lat));
        shape.setWidth(2 * radius / (KM_PER_DEGREE_LAT * Math.cos(Math.toRadians(lat))));
        shape.setHeight(2 * radius / KM_PER_DEGREE_LAT);
        shape.setNumPoints(48);
        return shape.createEllipse();
    }

    private static java.time.Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
