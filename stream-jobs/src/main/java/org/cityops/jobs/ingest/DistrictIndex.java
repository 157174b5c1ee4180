package org.cityops.jobs.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.index.strtree.STRtree;

/**
 * Point-in-polygon lookup of San Francisco's analysis neighbourhoods and police districts, from the
 * DataSF GeoJSON bundled in event-schemas ({@code /geo}). Thread-safe after construction.
 */
public final class DistrictIndex {

    public static final String NEIGHBORHOODS = "/geo/sf-analysis-neighborhoods.geojson";
    public static final String POLICE_DISTRICTS = "/geo/sf-police-districts.geojson";

    private static volatile DistrictIndex sanFrancisco;

    private final STRtree neighborhoods;
    private final STRtree policeDistricts;
    private final GeometryFactory geometry = new GeometryFactory();

    private record Area(String name, PreparedGeometry shape) {}

    private DistrictIndex(STRtree neighborhoods, STRtree policeDistricts) {
        this.neighborhoods = neighborhoods;
        this.policeDistricts = policeDistricts;
    }

    /** The San Francisco index, loaded once per JVM. */
    public static DistrictIndex sanFrancisco() {
        if (sanFrancisco == null) {
            synchronized (DistrictIndex.class) {
                if (sanFrancisco == null) {
                    sanFrancisco =
                            new DistrictIndex(
                                    load(NEIGHBORHOODS, "nhood"),
                                    load(POLICE_DISTRICTS, "district"));
                }
            }
        }
        return sanFrancisco;
    }

    public Optional<String> neighborhoodAt(double lat, double lon) {
        return lookup(neighborhoods, lat, lon);
    }

    public Optional<String> policeDistrictAt(double lat, double lon) {
        return lookup(policeDistricts, lat, lon);
    }

    /** The neighbourhoods an area (lon/lat geometry) touches, sorted by name. */
    public List<String> neighborhoodsTouching(Geometry area) {
        @SuppressWarnings("unchecked")
        List<Area> candidates = neighborhoods.query(area.getEnvelopeInternal());
        return candidates.stream()
                .filter(district -> district.shape().intersects(area))
                .map(Area::name)
                .distinct()
                .sorted()
                .toList();
    }

    private Optional<String> lookup(STRtree tree, double lat, double lon) {
        Point point = geometry.createPoint(new Coordinate(lon, lat));
        @SuppressWarnings("unchecked")
        List<Area> candidates = tree.query(point.getEnvelopeInternal());
        return candidates.stream()
                .filter(area -> area.shape().covers(point))
                .map(Area::name)
                .sorted()
                .findFirst();
    }

    private static STRtree load(String resource, String nameProperty) {
        GeometryFactory factory = new GeometryFactory();
        STRtree tree = new STRtree();
        try (InputStream in = DistrictIndex.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            for (JsonNode feature : root.get("features")) {
                String name = feature.get("properties").get(nameProperty).asText();
                Geometry shape = toGeometry(factory, feature.get("geometry"));
                tree.insert(
                        shape.getEnvelopeInternal(),
                        new Area(name, PreparedGeometryFactory.prepare(shape)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        tree.build();
        return tree;
    }

    private static Geometry toGeometry(GeometryFactory factory, JsonNode geometry) {
        String type = geometry.get("type").asText();
        JsonNode coordinates = geometry.get("coordinates");
        List<Polygon> polygons = new ArrayList<>();
        if ("Polygon".equals(type)) {
            polygons.add(polygon(factory, coordinates));
        } else if ("MultiPolygon".equals(type)) {
            for (JsonNode polygon : coordinates) {
                polygons.add(polygon(factory, polygon));
            }
        } else {
            throw new IllegalArgumentException("unsupported geometry " + type);
        }
        return factory.createMultiPolygon(polygons.toArray(Polygon[]::new));
    }

    private static Polygon polygon(GeometryFactory factory, JsonNode rings) {
        LinearRing shell = ring(factory, rings.get(0));
        LinearRing[] holes = new LinearRing[rings.size() - 1];
        for (int i = 1; i < rings.size(); i++) {
            holes[i - 1] = ring(factory, rings.get(i));
        }
        return factory.createPolygon(shell, holes);
    }

    private static LinearRing ring(GeometryFactory factory, JsonNode points) {
        Coordinate[] coordinates = new Coordinate[points.size()];
        for (int i = 0; i < points.size(); i++) {
            coordinates[i] =
                    new Coordinate(
                            points.get(i).get(0).asDouble(), points.get(i).get(1).asDouble());
        }
        return factory.createLinearRing(coordinates);
    }
}
