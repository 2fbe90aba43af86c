import { describe, expect, it } from 'vitest';
import { useGeoSeriesEngine } from './geoseries-helpers.js';

const { row } = useGeoSeriesEngine();

const CENTRAL_PARK = 'dynamic({"type":"Polygon","coordinates":[[[-73.9495,40.7969],[-73.95807266235352,40.80068603561921],[-73.98201942443848,40.76825672305777],[-73.97317886352539,40.76455136505513],[-73.9495,40.7969]]]})';
const LINE = 'dynamic({"type":"LineString","coordinates":[[-73.95796, 40.80042], [-73.97317, 40.764486]]})';

describe('geo points and circles', () => {
  it('measures on a sphere of radius 6371010 m; invalid coordinates give null', async () => {
    expect(await row('print round(geo_distance_2points(-122.407628, 47.578557, -118.275287, 34.019056), 4), geo_distance_2points(300, 1, 1, 1), geo_point_in_circle(-122.143564, 47.535677, -122.100896, 47.527351, 3500), geo_point_in_circle(1, 1, 1, 1, -1), round(geo_azimuth(0, 0, 1, 0), 12), round(geo_angle(0, 10, 0, 5, 3, -10), 12), isnull(geo_azimuth(5, 10, 5, 10))'))
      .toEqual([1546754.352, null, true, null, 1.570796326795, 2.944938434069, true]);
  });
});

describe('geo polygons', () => {
  it('tests containment with holes and multipolygons; invalid polygons give null', async () => {
    expect(await row('let hole = dynamic({"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[4,4],[4,6],[6,6],[6,4],[4,4]]]}); print geo_point_in_polygon(1, 1, hole), geo_point_in_polygon(5, 5, hole), geo_point_in_polygon(20, 5, hole), geo_point_in_polygon(1, 1, dynamic({"type":"Polygon","coordinates":[[[0,0],[1,1],[0,0]]]})), geo_point_in_polygon(5, 5, dynamic({"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[4,4],[6,4],[6,6],[4,4]]]]}))'))
      .toEqual([true, false, false, null, true]);
  });
  it('takes shapes computed by toscalar() (arguments holding subqueries)', async () => {
    expect(await row('let square = toscalar(print dynamic({"type":"Polygon","coordinates":[[[0,0],[2,0],[2,2],[0,2],[0,0]]]})); datatable(lon:real, lat:real)[1.0, 1.0, 3.0, 1.0] | summarize inside = countif(geo_point_in_polygon(lon, lat, square))'))
      .toEqual([1n]);
  });
  it('measures distance, area, perimeter, centroid and the closest point', async () => {
    expect(await row(`let central_park = ${CENTRAL_PARK}; print round(geo_distance_point_to_polygon(-73.9839, 40.7705, central_park), 6), geo_distance_point_to_polygon(-73.965, 40.78, central_park), round(geo_polygon_area(central_park), 2), round(geo_polygon_perimeter(central_park), 6), geo_polygon_centroid(central_park), geo_closest_point_on_polygon(-73.9839, 40.7705, central_park)`))
      .toEqual([259.940756, 0, 3475207.28, 9930.301496, { type: 'Point', coordinates: [-73.96573569667382, 40.782550550816396] }, { type: 'Point', coordinates: [-73.98120558015493, 40.76935945284365] }]);
  });
  it('simplifies (Douglas-Peucker on the sphere) and densifies polygons', async () => {
    expect(await row('let polygon = dynamic({"type":"Polygon","coordinates":[[[-73.94885122776031,40.79673476355657],[-73.94885927438736,40.79692258628347],[-73.94887939095497,40.79692055577034],[-73.9488673210144,40.79693476936093],[-73.94888743758202,40.79693476936093],[-73.9488834142685,40.796959135509105],[-73.94890084862709,40.79695304397289],[-73.94906312227248,40.79710736271788],[-73.94923612475395,40.7968708081794],[-73.94885122776031,40.79673476355657]]]}); print geo_polygon_simplify(polygon), geo_polygon_simplify(polygon, 1000000), geo_polygon_densify(dynamic({"type":"Polygon","coordinates":[[[10,10],[11,10],[11,11],[10,11],[10,10]]]}))'))
      .toEqual([
        { type: 'Polygon', coordinates: [[[-73.94885122776031, 40.79673476355657], [-73.94906312227248, 40.79710736271788], [-73.94923612475395, 40.7968708081794], [-73.94885122776031, 40.79673476355657]]] },
        null,
        { type: 'Polygon', coordinates: [[[10, 10], [10.25, 10], [10.5, 10], [10.75, 10], [11, 10], [11, 11], [10.75, 11], [10.5, 11], [10.25, 11], [10, 11], [10, 10]]] },
      ]);
  });
  it('buffers points into circles; intersects shapes', async () => {
    expect(await row(`let l1 = dynamic({"type":"LineString","coordinates":[[-73.978929,40.785155],[-73.980903,40.782621]]}); let l2 = dynamic({"type":"LineString","coordinates":[[-73.985195,40.788275],[-73.974552,40.779761]]}); let poly = dynamic({"type":"Polygon","coordinates":[[[-73.9712905883789,40.78580561168767],[-73.98004531860352,40.775276834803655],[-73.97000312805176,40.77852663535664],[-73.9712905883789,40.78580561168767]]]}); print array_length(geo_point_buffer(10, 10, 20000).coordinates[0]), geo_point_in_polygon(10, 10.17, geo_point_buffer(10, 10, 20000)), geo_point_in_polygon(10, 10.19, geo_point_buffer(10, 10, 20000)), geo_point_buffer(10, 10, -1), geo_intersects_2lines(l1, l2), geo_intersection_2lines(l1, l2), geo_intersects_line_with_polygon(l2, poly), geo_intersects_2polygons(poly, dynamic({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]})), geo_intersection_2polygons(poly, dynamic({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]})), geo_intersects_2lines(l1, dynamic({"type":"LineString","coordinates":[[1,1]]}))`))
      .toEqual([101n, true, false, null, true, { type: 'Point', coordinates: [-73.97983711668113, 40.78398928978036] }, true, false, { type: 'GeometryCollection', geometries: [] }, null]);
  });
});

describe('geo lines', () => {
  it('measures, interpolates, locates, densifies and simplifies lines', async () => {
    expect(await row(`let line = ${LINE}; print round(geo_line_length(line), 6), geo_line_centroid(line), geo_line_interpolate_point(line, 0.25), round(geo_line_locate_point(line, -73.965, 40.792), 12), geo_line_densify(dynamic({"type":"LineString","coordinates":[[50, 50], [51, 51]]})), geo_line_densify(line, 0), round(geo_distance_point_to_line(-73.9812, 40.7859, line), 6), geo_closest_point_on_line(-73.9812, 40.7859, line), geo_line_simplify(dynamic({"type":"LineString","coordinates":[[0,0],[0.5,0.00001],[1,0]]}), 10)`))
      .toEqual([4195.89112, { type: 'Point', coordinates: [-73.96556705723094, 40.782453249627416] }, { type: 'Point', coordinates: [-73.96176404321828, 40.791436687257246] }, 0.255601351003,
        { type: 'LineString', coordinates: [[50, 50], [50.125, 50.125], [50.25, 50.25], [50.375, 50.375], [50.5, 50.5], [50.625, 50.625], [50.75, 50.75], [50.875, 50.875], [51, 51]] },
        null, 1370.379233, { type: 'Point', coordinates: [-73.96569980849634, 40.78213961989328] }, { type: 'LineString', coordinates: [[0, 0], [1, 0]] }]);
  });
  it('converts WKT to GeoJSON', async () => {
    expect(await row('print geo_from_wkt("POINT (1 2)"), geo_from_wkt("MULTIPOINT ((1 1), (2 2))"), geo_from_wkt("MULTILINESTRING ((1 1, 2 2, 3 3), (4 4, 5 5))"), geo_from_wkt("LINESTRING (1 2, 3)"), geo_from_wkt("GEOMETRYCOLLECTION (POINT (1 1),LINESTRING (2 2, 3 3))")'))
      .toEqual([{ type: 'Point', coordinates: [1, 2] }, { type: 'MultiPoint', coordinates: [[1, 1], [2, 2]] }, { type: 'MultiLineString', coordinates: [[[1, 1], [2, 2], [3, 3]], [[4, 4], [5, 5]]] }, null,
        { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1, 1] }, { type: 'LineString', coordinates: [[2, 2], [3, 3]] }] }]);
  });
});

describe('geo grids', () => {
  it('encodes and decodes geohashes', async () => {
    expect(await row('print geo_point_to_geohash(-80.195829, 25.802215, 8), geo_point_to_geohash(200, 1), geo_geohash_to_central_point("sunny"), geo_geohash_to_polygon("dr5ru"), geo_geohash_neighbors("sunny"), geo_geohash_neighbors("a"), geo_geohash_to_central_point("a")'))
      .toEqual(['dhwfz15h', '', { type: 'Point', coordinates: [42.47314453125, 23.70849609375] },
        { type: 'Polygon', coordinates: [[[-74.00390625, 40.7373046875], [-73.9599609375, 40.7373046875], [-73.9599609375, 40.78125], [-74.00390625, 40.78125], [-74.00390625, 40.7373046875]]] },
        ['sunnt', 'sunpj', 'sunnx', 'sunpn', 'sunnv', 'sunpp', 'sunnz', 'sunnw'], null, null]);
  });
  it('computes S2 cells, their centres, polygons, neighbours and polygon coverings', async () => {
    expect(await row('print geo_point_to_s2cell(-80.195829, 25.802215, 8), geo_point_to_s2cell(300, 1, 8), geo_s2cell_to_central_point("1234567"), geo_s2cell_to_polygon("89c259"), geo_s2cell_neighbors("89c259"), geo_s2cell_to_polygon("zz"), geo_s2cell_neighbors("1"), array_length(geo_polygon_to_s2cells(dynamic({"type":"Polygon","coordinates":[[[0,0],[0,50],[100,50],[0,0]]]}), 5))'))
      .toEqual(['88d9b', '', { type: 'Point', coordinates: [9.86830731850408, 27.468392925827605] },
        { type: 'Polygon', coordinates: [[[-74.03001224983848, 40.8012684339439], [-74.03001224983848, 40.7222262918358], [-73.93598211433742, 40.708880489804564], [-73.93598211433742, 40.78791713450684], [-74.03001224983848, 40.8012684339439]]] },
        ['89c2f9', '89c251', '89c257', '89c25f', '89c2f7', '89c25b', '89c2f5', '89c25d'], null, ['b', '5', '9', '3'], 286n]);
  });
  it('reads H3 cell levels and parents from the index bits', async () => {
    expect(await row('print geo_h3cell_level("862a1072fffffff"), geo_h3cell_parent("862a1072fffffff"), geo_h3cell_parent("862a1072fffffff", 1), geo_h3cell_parent("862a1072fffffff", 7), geo_h3cell_level("abc"), geo_h3cell_parent("123")'))
      .toEqual([6, '852a1073fffffff', '812a3ffffffffff', '', null, '']);
  });
});
