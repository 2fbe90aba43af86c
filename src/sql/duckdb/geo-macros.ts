// Temporary DuckDB macros for Kusto's geo_*() functions, in plain SQL (no extension).
//
// Kusto measures on a sphere of radius 6371010 m (S2's Earth radius) with geodesic edges. Points are
// handled as unit vectors (DOUBLE[3] lists); shapes come from GeoJSON (dynamic) as nested DOUBLE lists:
// polygons as DOUBLE[][][][] (polygons → rings → [lon, lat]), lines as DOUBLE[][][] (lines → [lon, lat]).
//
// Macro hygiene: a macro's own parameters are used outside its lambdas where they could be shadowed,
// and lambda parameters get names unique to their macro (DuckDB substitutes macro arguments textually).
// Lambdas inside a scalar subquery only reference columns of that subquery (a DuckDB binder limitation).

export const EARTH_RADIUS_M = 6371010;
const R = EARTH_RADIUS_M;

const macros: Record<string, string> = {
  // ---- vectors ----
  kql_g_okpt: `(lon, lat) AS coalesce(isfinite(lon) AND isfinite(lat) AND lon BETWEEN -180 AND 180 AND lat BETWEEN -90 AND 90, false)`,
  kql_g_xyz: `(lon, lat) AS [cos(radians(lat)) * cos(radians(lon)), cos(radians(lat)) * sin(radians(lon)), sin(radians(lat))]`,
  kql_g_lon: `(v) AS degrees(atan2(v[2], v[1]))`,
  kql_g_lat: `(v) AS degrees(atan2(v[3], sqrt(v[1] * v[1] + v[2] * v[2])))`,
  kql_g_dot: `(a, b) AS list_inner_product(a, b)`,
  kql_g_cross: `(a, b) AS CAST(array_cross_product(CAST(a AS DOUBLE[3]), CAST(b AS DOUBLE[3])) AS DOUBLE[])`,
  kql_g_add: `(a, b) AS list_transform(list_zip(a, b), gaz -> gaz[1] + gaz[2])`,
  kql_g_scale: `(a, k) AS list_transform(a, gsx -> gsx * k)`,
  kql_g_unit: `(v) AS list_transform([v], guv -> list_transform(guv, gux -> gux / sqrt(list_inner_product(guv, guv))))[1]`,
  kql_g_len: `(v) AS list_transform([v], glv -> sqrt(list_inner_product(glv, glv)))[1]`,
  /** The angle (radians) between two unit vectors, accurate for small and large angles. */
  kql_g_angle: `(a, b) AS list_transform([[a, b]], gab -> atan2(kql_g_len(kql_g_cross(gab[1], gab[2])), list_inner_product(gab[1], gab[2])))[1]`,
  kql_g_sum: `(vs) AS list_reduce(vs, (gsa, gsb) -> [gsa[1] + gsb[1], gsa[2] + gsb[2], gsa[3] + gsb[3]])`,
  kql_g_point_json: `(v) AS json_object('type', 'Point', 'coordinates', json_array(kql_g_lon(v), kql_g_lat(v)))`,
  kql_g_lonlat_json: `(lon, lat) AS json_object('type', 'Point', 'coordinates', json_array(lon, lat))`,
  /** Signed turn of the great circle through a and b towards c: positive when c is to the left. */
  kql_g_orient: `(a, b, c) AS sign(list_inner_product(kql_g_cross(a, b), c))`,

  // ---- parsing GeoJSON shapes ----
  kql_g_okcoord: `(p) AS coalesce(len(p) = 2 AND kql_g_okpt(p[1], p[2]), false)`,
  /** A ring: at least 4 valid coordinates, closed, with at least 3 distinct vertices. */
  kql_g_okring: `(r) AS coalesce(len(r) >= 4 AND r[1] = r[len(r)] AND list_bool_and(list_transform(r, grp -> kql_g_okcoord(grp)))
    AND len(list_distinct(list_slice(r, 1, len(r) - 1))) >= 3, false)`,
  /** Polygon / MultiPolygon GeoJSON → DOUBLE[][][][], null when invalid. */
  kql_g_polys: `(g) AS list_transform([CASE json_extract_string(g, '$.type')
      WHEN 'Polygon' THEN [TRY_CAST(json_extract(g, '$.coordinates') AS DOUBLE[][][])]
      WHEN 'MultiPolygon' THEN TRY_CAST(json_extract(g, '$.coordinates') AS DOUBLE[][][][]) END],
    gpp -> CASE WHEN len(gpp) > 0 AND list_bool_and(list_transform(gpp, gpq -> len(gpq) > 0 AND list_bool_and(list_transform(gpq, gpr -> kql_g_okring(gpr)))))
      THEN gpp END)[1]`,
  /** LineString / MultiLineString GeoJSON → DOUBLE[][][], null when invalid. */
  kql_g_lines: `(g) AS list_transform([CASE json_extract_string(g, '$.type')
      WHEN 'LineString' THEN [TRY_CAST(json_extract(g, '$.coordinates') AS DOUBLE[][])]
      WHEN 'MultiLineString' THEN TRY_CAST(json_extract(g, '$.coordinates') AS DOUBLE[][][]) END],
    gll -> CASE WHEN len(gll) > 0 AND list_bool_and(list_transform(gll, glm -> len(glm) >= 2 AND list_bool_and(list_transform(glm, glp -> kql_g_okcoord(glp)))))
      THEN gll END)[1]`,
  kql_g_ring_xyz: `(r) AS list_transform(r, grx -> kql_g_xyz(grx[1], grx[2]))`,

  // ---- point in polygon ----
  /** Even-odd ray casting of a planar point in a planar closed ring. */
  kql_g_pip_planar: `(pts, q) AS coalesce(list_sum(list_transform(pts, (gpv, gpi) -> CASE WHEN gpi < len(pts)
      AND ((gpv[2] > q[2]) <> (pts[gpi + 1][2] > q[2]))
      AND q[1] < (pts[gpi + 1][1] - gpv[1]) * (q[2] - gpv[2]) / (pts[gpi + 1][2] - gpv[2]) + gpv[1] THEN 1 ELSE 0 END)), 0) % 2 = 1`,
  /** Winding of a ring of unit vectors around the unit vector p (fallback for rings wider than a hemisphere). */
  kql_g_winding: `(rx, p) AS abs(coalesce(list_sum(list_transform(rx, (gwv, gwi) -> CASE WHEN gwi < len(rx) THEN
      list_transform([[gwv, rx[gwi + 1]]], gwe -> atan2(
        list_inner_product(p, kql_g_cross(kql_g_add(gwe[1], kql_g_scale(p, -list_inner_product(gwe[1], p))), kql_g_add(gwe[2], kql_g_scale(p, -list_inner_product(gwe[2], p))))),
        list_inner_product(kql_g_add(gwe[1], kql_g_scale(p, -list_inner_product(gwe[1], p))), kql_g_add(gwe[2], kql_g_scale(p, -list_inner_product(gwe[2], p))))))[1]
      ELSE 0 END)), 0)) > pi()`,
  /**
   * Whether a ring ([lon, lat] list) contains the unit vector p: geodesic edges are straight in a
   * gnomonic projection centred on the ring's mean direction, where a planar test decides.
   */
  kql_g_ring_contains: `(ring, p) AS list_transform([kql_g_ring_xyz(ring)], gcx ->
      list_transform([kql_g_unit(kql_g_sum(list_slice(gcx, 1, len(gcx) - 1)))], gcc ->
        list_transform([kql_g_unit(CASE WHEN abs(gcc[3]) < 0.9 THEN kql_g_cross([0.0, 0.0, 1.0], gcc) ELSE kql_g_cross([1.0, 0.0, 0.0], gcc) END)], gce ->
          list_transform([[gcc, gce, kql_g_cross(gcc, gce), p]], gcb ->
            CASE WHEN list_bool_or(list_transform(gcx, gcw -> list_inner_product(gcw, gcb[1]) <= 1e-9)) THEN kql_g_winding(gcx, gcb[4])
              WHEN list_inner_product(gcb[4], gcb[1]) <= 0 THEN false
              ELSE kql_g_pip_planar(list_transform(gcx, gcw -> [list_inner_product(gcw, gcb[2]) / list_inner_product(gcw, gcb[1]), list_inner_product(gcw, gcb[3]) / list_inner_product(gcw, gcb[1])]),
                [list_inner_product(gcb[4], gcb[2]) / list_inner_product(gcb[4], gcb[1]), list_inner_product(gcb[4], gcb[3]) / list_inner_product(gcb[4], gcb[1])]) END
          )[1])[1])[1])[1]`,
  /** A ring prepared for containment tests: unit vectors, gnomonic frame (c, e1, e2) and projected vertices. */
  kql_g_prep_ring_x: `(rx) AS list_transform([rx], prx ->
      list_transform([kql_g_unit(kql_g_sum(list_slice(prx, 1, len(prx) - 1)))], prc ->
        list_transform([kql_g_unit(CASE WHEN abs(prc[3]) < 0.9 THEN kql_g_cross([0.0, 0.0, 1.0], prc) ELSE kql_g_cross([1.0, 0.0, 0.0], prc) END)], pre ->
          list_transform([kql_g_cross(prc, pre)], prf -> {'x': prx, 'c': prc, 'e1': pre, 'e2': prf,
            'pj': list_transform(prx, prw -> [list_inner_product(prw, pre) / list_inner_product(prw, prc), list_inner_product(prw, prf) / list_inner_product(prw, prc)]),
            'wide': list_bool_or(list_transform(prx, prw -> list_inner_product(prw, prc) <= 1e-9))})[1])[1])[1])[1]`,
  kql_g_prep_ring: `(ring) AS kql_g_prep_ring_x(kql_g_ring_xyz(ring))`,
  kql_g_prep_ring_contains: `(pr, p) AS list_transform([p], prp -> CASE WHEN pr.wide THEN kql_g_winding(pr.x, prp) WHEN list_inner_product(prp, pr.c) <= 0 THEN false
      ELSE kql_g_pip_planar(pr.pj, [list_inner_product(prp, pr.e1) / list_inner_product(prp, pr.c), list_inner_product(prp, pr.e2) / list_inner_product(prp, pr.c)]) END)[1]`,
  /**
   * Polygons prepared for containment and intersection tests: prepared rings, all edges and
   * vertices as unit vectors, and a bounding cap (centre cc, angular radius cr).
   */
  kql_g_prep_polys: `(polys) AS list_transform([list_transform(polys, ppp -> list_transform(ppp, ppr -> kql_g_prep_ring(ppr)))], ppq ->
      list_transform([flatten(list_transform(flatten(ppq), ppz -> ppz.x))], ppv -> list_transform([kql_g_unit(kql_g_sum(ppv))], ppc -> {'polys': ppq,
        'edges': flatten(list_transform(flatten(ppq), ppz -> list_transform(list_slice(ppz.x, 1, len(ppz.x) - 1), (ppa, ppi) -> [ppa, ppz.x[ppi + 1]]))),
        'verts': ppv, 'cc': ppc, 'cr': list_transform([list_max(list_transform(ppv, ppw -> kql_g_angle(ppw, ppc)))], ppm -> CASE WHEN ppm > pi() / 2 THEN pi() ELSE ppm END)[1]})[1])[1])[1]`,
  /** Whether prepared polygons contain the unit vector p: inside a shell and outside its holes. */
  kql_g_prep_contains: `(pp, p) AS list_bool_or(list_transform(pp.polys, pcq -> kql_g_prep_ring_contains(pcq[1], p)
      AND NOT coalesce(list_bool_or(list_transform(list_slice(pcq, 2, len(pcq)), pch -> kql_g_prep_ring_contains(pch, p))), false)))`,
  /** Whether polygons (DOUBLE[][][][]) contain the unit vector p. */
  kql_g_polys_contain: `(polys, p) AS kql_g_prep_contains(kql_g_prep_polys(polys), p)`,

  // ---- distances to edges ----
  /**
   * The closest point of the geodesic edge ab to p (unit vectors) and its angular distance:
   * [angle, x, y, z].
   */
  kql_g_edge_closest: `(a, b, p) AS list_transform([[a, b, p, kql_g_cross(a, b)]], gek ->
      CASE WHEN kql_g_len(gek[4]) > 1e-15
        AND list_inner_product(kql_g_cross(gek[1], kql_g_add(gek[3], kql_g_scale(gek[4], -list_inner_product(gek[3], gek[4]) / list_inner_product(gek[4], gek[4])))), gek[4]) >= 0
        AND list_inner_product(kql_g_cross(kql_g_add(gek[3], kql_g_scale(gek[4], -list_inner_product(gek[3], gek[4]) / list_inner_product(gek[4], gek[4]))), gek[2]), gek[4]) >= 0
        AND kql_g_len(kql_g_add(gek[3], kql_g_scale(gek[4], -list_inner_product(gek[3], gek[4]) / list_inner_product(gek[4], gek[4])))) > 1e-15
      THEN list_transform([kql_g_unit(kql_g_add(gek[3], kql_g_scale(gek[4], -list_inner_product(gek[3], gek[4]) / list_inner_product(gek[4], gek[4]))))], gem -> list_concat([kql_g_angle(gek[3], gem)], gem))[1]
      WHEN kql_g_angle(gek[3], gek[1]) <= kql_g_angle(gek[3], gek[2]) THEN list_concat([kql_g_angle(gek[3], gek[1])], gek[1])
      ELSE list_concat([kql_g_angle(gek[3], gek[2])], gek[2]) END)[1]`,
  /** The closest point of a path ([lon, lat] list) to p: [angle, x, y, z]. */
  kql_g_path_closest: `(path, p) AS list_transform([kql_g_ring_xyz(path)], gpx -> list_sort(list_transform(list_slice(gpx, 1, len(gpx) - 1),
      (gpa, gpi) -> kql_g_edge_closest(gpa, gpx[gpi + 1], p)))[1])[1]`,
  /** The closest point of many paths: [angle, x, y, z]. */
  kql_g_paths_closest: `(paths, p) AS list_sort(list_transform(paths, gps -> kql_g_path_closest(gps, p)))[1]`,
  kql_g_polys_rings: `(polys) AS CAST(flatten(polys) AS DOUBLE[][][])`,

  // ---- measures ----
  /** Length of a path ([lon, lat] list) in radians. */
  kql_g_path_length: `(path) AS list_transform([kql_g_ring_xyz(path)], gln -> coalesce(list_sum(list_transform(list_slice(gln, 1, len(gln) - 1),
      (glx, gli) -> kql_g_angle(glx, gln[gli + 1]))), 0.0))[1]`,
  /** Signed area (steradians) of a ring of unit vectors: a fan of triangles from the first vertex. */
  kql_g_ring_area_signed: `(rx) AS coalesce(list_sum(list_transform(list_slice(rx, 2, len(rx) - 1), (gav, gai) -> CASE WHEN gai + 2 <= len(rx) THEN
      2 * atan2(list_inner_product(rx[1], kql_g_cross(gav, rx[gai + 2])),
        1 + list_inner_product(rx[1], gav) + list_inner_product(gav, rx[gai + 2]) + list_inner_product(rx[gai + 2], rx[1])) ELSE 0 END)), 0.0)`,
  /** Area of the smaller region a ring bounds (steradians). */
  kql_g_ring_area: `(ring) AS list_transform([abs(kql_g_ring_area_signed(kql_g_ring_xyz(ring)))], gra -> CASE WHEN gra > 2 * pi() THEN 4 * pi() - gra ELSE gra END)[1]`,
  kql_g_polys_area: `(polys) AS list_sum(list_transform(polys, gpa -> kql_g_ring_area(gpa[1])
      - coalesce(list_sum(list_transform(list_slice(gpa, 2, len(gpa)), gph -> kql_g_ring_area(gph))), 0.0)))`,
  /**
   * Area-weighted centroid direction of a ring (the integral of the position over the region it
   * bounds): half the sum of edge length × edge normal, turned towards the ring's vertices.
   */
  kql_g_ring_centroid: `(ring) AS list_transform([kql_g_ring_xyz(ring)], grc -> list_transform([kql_g_scale(kql_g_sum(list_transform(list_slice(grc, 1, len(grc) - 1),
      (grv, gri) -> kql_g_scale(kql_g_unit(kql_g_cross(grv, grc[gri + 1])), kql_g_angle(grv, grc[gri + 1])))), 0.5)], grs ->
      CASE WHEN list_inner_product(grs, kql_g_sum(grc)) < 0 THEN kql_g_scale(grs, -1) ELSE grs END)[1])[1]`,
  kql_g_polys_centroid: `(polys) AS kql_g_sum(list_transform(polys, gpc -> list_reduce(list_concat([kql_g_ring_centroid(gpc[1])],
      list_transform(list_slice(gpc, 2, len(gpc)), gch -> kql_g_scale(kql_g_ring_centroid(gch), -1))), (gca, gcb) -> kql_g_add(gca, gcb))))`,
  /** Length-weighted centroid direction of a path (S2's polyline centroid). */
  kql_g_path_centroid: `(path) AS list_transform([kql_g_ring_xyz(path)], gpz -> kql_g_sum(list_transform(list_slice(gpz, 1, len(gpz) - 1),
      (gzv, gzi) -> kql_g_scale(kql_g_add(gzv, gpz[gzi + 1]), kql_g_angle(gzv, gpz[gzi + 1]) / nullif(kql_g_len(kql_g_add(gzv, gpz[gzi + 1])), 0)))))[1]`,

  // ---- geohash ----
  /** The geohash of cell indexes (lon bits, lat bits interleaved from the longitude). */
  kql_g_geohash_encode: `(loni, lati, acc) AS array_to_string(list_transform(range(acc), ghc -> substr('0123456789bcdefghjkmnpqrstuvwxyz',
      1 + CAST(list_sum(list_transform(range(5), ghk -> (CASE WHEN (5 * ghc + ghk) % 2 = 0
        THEN (loni >> CAST((5 * acc + 1) // 2 - 1 - (5 * ghc + ghk) // 2 AS BIGINT)) & 1
        ELSE (lati >> CAST((5 * acc) // 2 - 1 - (5 * ghc + ghk) // 2 AS BIGINT)) & 1 END) << CAST(4 - ghk AS BIGINT))) AS BIGINT), 1)), '')`,
  /** [lon index, lat index, accuracy] of a geohash, null when invalid. */
  kql_g_geohash_cell: `(h) AS CASE WHEN regexp_full_match(h, '[0-9b-hjkmnp-z]{1,18}') THEN list_transform([flatten(list_transform(string_split(h, ''),
      ghs -> list_transform(range(5), ghb -> (CAST(strpos('0123456789bcdefghjkmnpqrstuvwxyz', ghs) - 1 AS BIGINT) >> CAST(4 - ghb AS BIGINT)) & 1)))], ghl ->
      [CAST(coalesce(list_sum(list_transform(ghl, (ghv, ghi) -> CASE WHEN (ghi - 1) % 2 = 0 THEN ghv << CAST((len(ghl) + 1) // 2 - 1 - (ghi - 1) // 2 AS BIGINT) ELSE 0 END)), 0) AS BIGINT),
       CAST(coalesce(list_sum(list_transform(ghl, (ghv, ghi) -> CASE WHEN (ghi - 1) % 2 = 1 THEN ghv << CAST(len(ghl) // 2 - 1 - (ghi - 1) // 2 AS BIGINT) ELSE 0 END)), 0) AS BIGINT),
       CAST(len(ghl) // 5 AS BIGINT)])[1] END`,
  /** [min lon, min lat, max lon, max lat] of a geohash cell. */
  kql_g_geohash_box: `(h) AS list_transform([kql_g_geohash_cell(h)], ghx -> CASE WHEN ghx IS NOT NULL THEN
      [-180 + ghx[1] * 360.0 / pow(2, (5 * ghx[3] + 1) // 2), -90 + ghx[2] * 180.0 / pow(2, (5 * ghx[3]) // 2),
       -180 + (ghx[1] + 1) * 360.0 / pow(2, (5 * ghx[3] + 1) // 2), -90 + (ghx[2] + 1) * 180.0 / pow(2, (5 * ghx[3]) // 2)] END)[1]`,

  // ---- WKT ----
  /** One WKT geometry other than a collection → GeoJSON (coordinate pairs become arrays, parentheses brackets). */
  kql_g_wkt_one: `(t) AS list_transform([regexp_extract(t, '^\\s*([A-Za-z]+)(?:\\s+(?:[Zz]|[Mm]|[Zz][Mm]))?\\s*(\\(.*\\))\\s*$', ['k', 'b'])], gwk ->
      list_transform([replace(replace(regexp_replace(regexp_replace(gwk.b,
        '([-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)\\s+([-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)(?:\\s+[-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)*', '[\\1,\\2]', 'g'),
        '\\s+', '', 'g'), '(', '['), ')', ']')], gwt ->
      list_transform([CASE WHEN regexp_full_match(regexp_replace(gwt, '\\[[-+0-9.eE]+,[-+0-9.eE]+\\]', '', 'g'), '[\\[\\],]*')
          THEN TRY_CAST(gwt AS JSON) END], gwj -> list_transform([length(regexp_extract(gwt, '^\\[*'))], gwd -> CASE WHEN gwj IS NULL THEN NULL ELSE CASE upper(gwk.k)
        WHEN 'POINT' THEN CASE WHEN gwd = 2 AND json_array_length(gwj) = 1 THEN json_object('type', 'Point', 'coordinates', json_extract(gwj, '$[0]')) END
        WHEN 'LINESTRING' THEN CASE WHEN gwd = 2 THEN json_object('type', 'LineString', 'coordinates', gwj) END
        WHEN 'POLYGON' THEN CASE WHEN gwd = 3 THEN json_object('type', 'Polygon', 'coordinates', gwj) END
        WHEN 'MULTIPOINT' THEN CASE WHEN gwd = 2 THEN json_object('type', 'MultiPoint', 'coordinates', gwj)
          WHEN gwd = 3 THEN json_object('type', 'MultiPoint', 'coordinates', to_json(flatten(CAST(gwj AS JSON[][])))) END
        WHEN 'MULTILINESTRING' THEN CASE WHEN gwd = 3 THEN json_object('type', 'MultiLineString', 'coordinates', gwj) END
        WHEN 'MULTIPOLYGON' THEN CASE WHEN gwd = 4 THEN json_object('type', 'MultiPolygon', 'coordinates', gwj) END
        END END)[1])[1])[1])[1]`,

  // ---- edges: crossings, interpolation ----
  /** Whether the unit vector p lies on the minor arc ab (n = a × b). */
  kql_g_on_arc: `(p, a, b, n) AS list_inner_product(kql_g_cross(a, p), n) >= -1e-15 AND list_inner_product(kql_g_cross(p, b), n) >= -1e-15
    AND list_inner_product(p, kql_g_add(a, b)) > 0`,
  /** The intersection point of the geodesic edges ab and cd (unit vectors), or null. */
  kql_g_edge_intersection: `(a, b, c, d) AS list_transform([[a, b, c, d, kql_g_cross(a, b), kql_g_cross(c, d)]], gei ->
      list_transform([kql_g_cross(gei[5], gei[6])], gex -> CASE
        WHEN kql_g_len(gex) <= 1e-15 * greatest(kql_g_len(gei[5]) * kql_g_len(gei[6]), 1e-300) THEN (CASE
          WHEN abs(list_inner_product(gei[3], gei[5])) > 1e-15 * kql_g_len(gei[5]) THEN NULL
          WHEN kql_g_on_arc(gei[3], gei[1], gei[2], gei[5]) THEN gei[3] WHEN kql_g_on_arc(gei[4], gei[1], gei[2], gei[5]) THEN gei[4]
          WHEN kql_g_on_arc(gei[1], gei[3], gei[4], gei[6]) THEN gei[1] ELSE NULL END)
        ELSE list_transform([kql_g_unit(gex)], gey -> CASE
          WHEN kql_g_on_arc(gey, gei[1], gei[2], gei[5]) AND kql_g_on_arc(gey, gei[3], gei[4], gei[6]) THEN gey
          WHEN kql_g_on_arc(kql_g_scale(gey, -1), gei[1], gei[2], gei[5]) AND kql_g_on_arc(kql_g_scale(gey, -1), gei[3], gei[4], gei[6]) THEN kql_g_scale(gey, -1)
          ELSE NULL END)[1] END)[1])[1]`,
  /** Edges of paths ([lon, lat] lists) as pairs of unit vectors. */
  kql_g_edges: `(paths) AS flatten(list_transform(paths, geg -> list_transform([kql_g_ring_xyz(geg)], geh ->
      list_transform(list_slice(geh, 1, len(geh) - 1), (gev, gei) -> [gev, geh[gei + 1]]))[1]))`,
  /** Intersection points of two edge lists. */
  kql_g_edges_intersections: `(e1, e2) AS list_filter(flatten(list_transform(e1, gea -> list_transform(e2, geb -> kql_g_edge_intersection(gea[1], gea[2], geb[1], geb[2])))), gep -> gep IS NOT NULL)`,
  /** The point at fraction t of the geodesic from a to b. */
  kql_g_slerp: `(a, b, t) AS list_transform([[a, b]], gsl -> list_transform([kql_g_angle(gsl[1], gsl[2])], gst -> CASE WHEN gst < 1e-15 THEN gsl[1]
      ELSE kql_g_add(kql_g_scale(gsl[1], sin((1 - t) * gst) / sin(gst)), kql_g_scale(gsl[2], sin(t * gst) / sin(gst))) END)[1])[1]`,
  /** Cumulative lengths (radians) at each vertex of a path of unit vectors. */
  kql_g_cumlen: `(px) AS list_transform(px, (gcv, gci) -> coalesce(list_sum(list_transform(list_slice(px, 1, gci - 1), (gcw, gcj) -> kql_g_angle(gcw, px[gcj + 1]))), 0.0))`,
  /** Distance in meters from the planar (lon/lat) midpoint of p..q to the geodesic through p and q. */
  kql_g_planar_dev: `(p, q) AS list_transform([kql_g_cross(kql_g_xyz(p[1], p[2]), kql_g_xyz(q[1], q[2]))], gpd -> CASE WHEN kql_g_len(gpd) < 1e-15 THEN 0.0
      ELSE ${R} * abs(asin(least(1.0, greatest(-1.0, list_inner_product(kql_g_xyz((p[1] + q[1]) / 2, (p[2] + q[2]) / 2), gpd) / kql_g_len(gpd))))) END)[1]`,
  /** Halves planar edges until each midpoint is within tol meters of the geodesic (at most 24 rounds). */
  kql_g_densify_path: `(path, tol) AS list_reduce(list_transform(range(24), gdr -> path), (gda, gdx) -> flatten(list_transform(gda, (gdv, gdi) ->
      CASE WHEN gdi < len(gda) AND kql_g_planar_dev(gdv, gda[gdi + 1]) > tol THEN [gdv, [(gdv[1] + gda[gdi + 1][1]) / 2, (gdv[2] + gda[gdi + 1][2]) / 2]] ELSE [gdv] END)), path)`,
  /**
   * Douglas-Peucker on the sphere: the vertex indexes (1-based) of a path kept at tolerance tol meters.
   * Each round splits every kept span at its farthest vertex when that one is farther than tol.
   */
  kql_g_simplify_idx: `(path, tol) AS list_transform([kql_g_ring_xyz(path)], gsx -> list_reduce(list_transform(range(least(len(path), 64)), gsr -> [1, len(path)]),
      (gsk, gsy) -> list_sort(list_concat(gsk, list_filter(list_transform(list_slice(gsk, 1, len(gsk) - 1), (gsi, gsn) -> CASE WHEN gsk[gsn + 1] - gsi >= 2 THEN
        list_transform([list_max(list_transform(range(gsi + 1, gsk[gsn + 1]), gsm -> [kql_g_edge_closest(gsx[gsi], gsx[gsk[gsn + 1]], gsx[gsm])[1] * ${R}, gsm]))], gsb ->
          CASE WHEN gsb[1] > tol THEN CAST(gsb[2] AS BIGINT) END)[1] END), gsf -> gsf IS NOT NULL))), [1, len(path)]))[1]`,
  kql_g_simplify_path: `(path, tol) AS list_transform(kql_g_simplify_idx(path, tol), gsj -> path[gsj])`,
  /** A circle polygon ring around the unit vector c with angular radius r, n vertices, counterclockwise. */
  kql_g_circle_ring: `(c, r, n) AS list_transform([kql_g_unit(CASE WHEN abs(c[3]) < 0.9 THEN kql_g_cross([0.0, 0.0, 1.0], c) ELSE kql_g_cross([1.0, 0.0, 0.0], c) END)], gce ->
      list_transform([kql_g_cross(c, gce)], gcn -> list_transform(range(n + 1), gck -> list_transform([kql_g_add(kql_g_scale(c, cos(r)),
        kql_g_add(kql_g_scale(gce, sin(r) * cos(2 * pi() * (gck % n) / n)), kql_g_scale(gcn, sin(r) * sin(2 * pi() * (gck % n) / n))))], gcp -> [kql_g_lon(gcp), kql_g_lat(gcp)])[1]))[1])[1]`,
  kql_g_coords_json: `(pts) AS to_json(pts)`,

  // ---- S2 cells ----
  /** S2 face of a unit vector: its largest component's axis (+3 when negative). */
  kql_g_s2_face: `(v) AS CASE WHEN abs(v[1]) > abs(v[2]) THEN (CASE WHEN abs(v[1]) > abs(v[3]) THEN (CASE WHEN v[1] < 0 THEN 3 ELSE 0 END) ELSE (CASE WHEN v[3] < 0 THEN 5 ELSE 2 END) END)
    ELSE (CASE WHEN abs(v[2]) > abs(v[3]) THEN (CASE WHEN v[2] < 0 THEN 4 ELSE 1 END) ELSE (CASE WHEN v[3] < 0 THEN 5 ELSE 2 END) END) END`,
  /** [face, u, v] of a unit vector. */
  kql_g_s2_faceuv: `(v) AS list_transform([[CAST(kql_g_s2_face(v) AS DOUBLE), v[1], v[2], v[3]]], gfv -> CASE CAST(gfv[1] AS INTEGER)
      WHEN 0 THEN [0.0, gfv[3] / gfv[2], gfv[4] / gfv[2]] WHEN 1 THEN [1.0, -gfv[2] / gfv[3], gfv[4] / gfv[3]]
      WHEN 2 THEN [2.0, -gfv[2] / gfv[4], -gfv[3] / gfv[4]] WHEN 3 THEN [3.0, gfv[4] / gfv[2], gfv[3] / gfv[2]]
      WHEN 4 THEN [4.0, gfv[4] / gfv[3], -gfv[2] / gfv[3]] ELSE [5.0, -gfv[3] / gfv[4], -gfv[2] / gfv[4]] END)[1]`,
  kql_g_s2_xyz: `(face, u, v) AS CASE CAST(face AS INTEGER) WHEN 0 THEN [1.0, u, v] WHEN 1 THEN [-u, 1.0, v] WHEN 2 THEN [-u, -v, 1.0]
      WHEN 3 THEN [-1.0, -v, -u] WHEN 4 THEN [v, -1.0, -u] ELSE [v, u, -1.0] END`,
  kql_g_s2_uv2st: `(u) AS CASE WHEN u >= 0 THEN 0.5 * sqrt(1 + 3 * u) ELSE 1 - 0.5 * sqrt(1 - 3 * u) END`,
  kql_g_s2_st2uv: `(s) AS CASE WHEN s >= 0.5 THEN (4 * s * s - 1) / 3 ELSE (1 - 4 * (1 - s) * (1 - s)) / 3 END`,
  kql_g_s2_st2ij: `(s) AS CAST(greatest(0, least(1073741823, floor(1073741824 * s))) AS BIGINT)`,
  /** The cell id (UBIGINT) at a level of the leaf coordinates (face, i, j): Hilbert curve position. */
  kql_g_s2_id: `(face, i, j, level) AS list_transform([list_reduce(list_transform(range(level), gsk -> [gsk, 0]),
      (gsa, gse) -> list_transform([(((i >> CAST(29 - gse[1] AS BIGINT)) & 1) << 1) | ((j >> CAST(29 - gse[1] AS BIGINT)) & 1)], gsj ->
        list_transform([[[0, 1, 3, 2], [0, 3, 1, 2], [2, 3, 1, 0], [2, 1, 3, 0]][gsa[1] + 1][gsj + 1]], gsp -> [xor(gsa[1], [1, 0, 0, 3][gsp + 1]), (gsa[2] << 2) | gsp])[1])[1],
      [CAST(face AS BIGINT) & 1, 0])], gsr -> (CAST(face AS UBIGINT) << 61) | (CAST(gsr[2] AS UBIGINT) << CAST(61 - 2 * level AS UBIGINT)) | (CAST(1 AS UBIGINT) << CAST(60 - 2 * level AS UBIGINT)))[1]`,
  kql_g_s2_token: `(id) AS CASE WHEN id = 0 THEN 'X' ELSE rtrim(printf('%016x', id), '0') END`,
  /** [face, level] of a token, null when invalid. */
  kql_g_s2_parse: `(t) AS CASE WHEN regexp_full_match(t, '[0-9a-fA-F]{1,16}') THEN list_transform([TRY_CAST('0x' || rpad(t, 16, '0') AS UBIGINT)], gtp ->
      CASE WHEN gtp <> 0 AND (gtp >> 61) < 6 AND CAST(round(log2(CAST(gtp & ((~gtp) + 1) AS DOUBLE))) AS BIGINT) % 2 = 0 THEN gtp END)[1] END`,
  kql_g_s2_level: `(id) AS 30 - CAST(round(log2(CAST(id & ((~id) + 1) AS DOUBLE))) AS BIGINT) // 2`,
  /** [face, i, j, level] (i, j of the cell's lowest leaf) of a cell id. */
  kql_g_s2_fij: `(id) AS CASE WHEN id IS NULL THEN NULL ELSE list_transform([[CAST(id >> 61 AS BIGINT), kql_g_s2_level(id), CAST((id & ((CAST(1 AS UBIGINT) << 61) - 1)) >> CAST(61 - 2 * kql_g_s2_level(id) AS UBIGINT) AS BIGINT)]], gfi ->
      list_transform([list_reduce(list_transform(range(gfi[2]), gfk -> [gfk, 0, 0]),
        (gfa, gfe) -> list_transform([(gfi[3] >> CAST(2 * (gfi[2] - 1 - gfe[1]) AS BIGINT)) & 3], gfp ->
          list_transform([[[0, 1, 3, 2], [0, 2, 3, 1], [3, 2, 0, 1], [3, 1, 0, 2]][gfa[1] + 1][gfp + 1]], gfq ->
            [xor(gfa[1], [1, 0, 0, 3][gfp + 1]), (gfa[2] << 1) | (gfq >> 1), (gfa[3] << 1) | (gfq & 1)])[1])[1],
        [gfi[1] & 1, 0, 0])], gfr -> [gfi[1], gfr[2] << CAST(30 - gfi[2] AS BIGINT), gfr[3] << CAST(30 - gfi[2] AS BIGINT), gfi[2]])[1])[1] END`,
  /** Unit vector of the (s, t) position on a face. */
  kql_g_s2_st_xyz: `(face, s, t) AS kql_g_unit(kql_g_s2_xyz(face, kql_g_s2_st2uv(s), kql_g_s2_st2uv(t)))`,
  /** Cell of a point at a level. */
  kql_g_s2_cell_of: `(v, level) AS list_transform([kql_g_s2_faceuv(v)], gco -> kql_g_s2_id(CAST(gco[1] AS BIGINT), kql_g_s2_st2ij(kql_g_s2_uv2st(gco[2])), kql_g_s2_st2ij(kql_g_s2_uv2st(gco[3])), level))[1]`,
  /** Cell at a level containing leaf (face, i, j), where i or j may lie just off the face (S2's FromFaceIJWrap). */
  kql_g_s2_wrap_id: `(face, i, j, level) AS list_transform([kql_g_s2_faceuv(kql_g_s2_xyz(face,
      greatest(-1.0000000000000002, least(1.0000000000000002, (2.0 * greatest(-1, least(1073741824, i)) + 1 - 1073741824) / 1073741824)),
      greatest(-1.0000000000000002, least(1.0000000000000002, (2.0 * greatest(-1, least(1073741824, j)) + 1 - 1073741824) / 1073741824))))], gwr ->
      kql_g_s2_id(CAST(gwr[1] AS BIGINT), kql_g_s2_st2ij(0.5 * (gwr[2] + 1)), kql_g_s2_st2ij(0.5 * (gwr[3] + 1)), level))[1]`,
  kql_g_s2_same_id: `(face, i, j, level, same) AS CASE WHEN same THEN kql_g_s2_id(face, i, j, level) ELSE kql_g_s2_wrap_id(face, i, j, level) END`,

  // ---- H3 cells (index bits only) ----
  kql_g_h3_parse: `(h) AS CASE WHEN regexp_full_match(h, '[0-9a-fA-F]{1,16}') THEN list_transform([TRY_CAST('0x' || h AS UBIGINT)], ghp ->
      CASE WHEN (ghp >> 63) = 0 AND ((ghp >> 59) & 15) = 1 AND ((ghp >> 56) & 7) = 0 AND ((ghp >> 45) & 127) < 122
        AND list_bool_and(list_transform(range(1, 16), ghk -> CASE WHEN ghk <= ((ghp >> 52) & 15) THEN ((ghp >> CAST(3 * (15 - ghk) AS UBIGINT)) & 7) < 7
          ELSE ((ghp >> CAST(3 * (15 - ghk) AS UBIGINT)) & 7) = 7 END))
        AND NOT (list_contains([4, 14, 24, 38, 49, 58, 63, 72, 83, 97, 107, 117], CAST((ghp >> 45) & 127 AS INTEGER))
          AND coalesce(list_first(list_filter(list_transform(range(1, CAST(((ghp >> 52) & 15) AS BIGINT) + 1), ghk -> CAST((ghp >> CAST(3 * (15 - ghk) AS UBIGINT)) & 7 AS INTEGER)), ghd -> ghd <> 0)), 0) = 1)
      THEN ghp END)[1] END`,

  // ---- Kusto functions ----
  kql_geo_distance_2points: `(lon1, lat1, lon2, lat2) AS CASE WHEN kql_g_okpt(lon1, lat1) AND kql_g_okpt(lon2, lat2)
    THEN ${R} * kql_g_angle(kql_g_xyz(lon1, lat1), kql_g_xyz(lon2, lat2)) END`,
  kql_geo_point_in_circle: `(lon, lat, clon, clat, radius) AS CASE WHEN kql_g_okpt(lon, lat) AND kql_g_okpt(clon, clat) AND radius >= 0
    THEN ${R} * kql_g_angle(kql_g_xyz(lon, lat), kql_g_xyz(clon, clat)) <= radius END`,
  /** Initial bearing from p1 to p2, clockwise from north, in [0, 2pi); null for equal or antipodal points. */
  kql_geo_azimuth: `(lon1, lat1, lon2, lat2) AS CASE WHEN kql_g_okpt(lon1, lat1) AND kql_g_okpt(lon2, lat2)
      AND kql_g_angle(kql_g_xyz(lon1, lat1), kql_g_xyz(lon2, lat2)) > 1e-15 AND kql_g_angle(kql_g_xyz(lon1, lat1), kql_g_xyz(lon2, lat2)) < pi() - 1e-12
    THEN list_transform([atan2(sin(radians(lon2 - lon1)) * cos(radians(lat2)),
      cos(radians(lat1)) * sin(radians(lat2)) - sin(radians(lat1)) * cos(radians(lat2)) * cos(radians(lon2 - lon1)))], gaz -> CASE WHEN gaz < 0 THEN gaz + 2 * pi() ELSE gaz END)[1] END`,
  /** The clockwise angle at p2 from the line towards p1 to the line towards p3, in [0, 2pi). */
  kql_geo_angle: `(lon1, lat1, lon2, lat2, lon3, lat3) AS list_transform([kql_geo_azimuth(lon2, lat2, lon3, lat3) - kql_geo_azimuth(lon2, lat2, lon1, lat1)],
    gan -> CASE WHEN gan < 0 THEN gan + 2 * pi() ELSE gan END)[1]`,
  kql_geo_point_in_polygon: `(lon, lat, g) AS CASE WHEN kql_g_okpt(lon, lat) THEN kql_g_polys_contain(kql_g_polys(g), kql_g_xyz(lon, lat)) END`,
  kql_geo_distance_point_to_polygon: `(lon, lat, g) AS CASE WHEN kql_g_okpt(lon, lat) THEN list_transform([[kql_g_polys(g)]], gdp ->
      CASE WHEN gdp[1] IS NULL THEN NULL WHEN kql_g_polys_contain(gdp[1], kql_g_xyz(lon, lat)) THEN 0.0
      ELSE ${R} * kql_g_paths_closest(CAST(flatten(gdp[1]) AS DOUBLE[][][]), kql_g_xyz(lon, lat))[1] END)[1] END`,
  kql_geo_closest_point_on_polygon: `(lon, lat, g) AS CASE WHEN kql_g_okpt(lon, lat) THEN list_transform([[kql_g_polys(g)]], gcp ->
      CASE WHEN gcp[1] IS NULL THEN NULL WHEN kql_g_polys_contain(gcp[1], kql_g_xyz(lon, lat)) THEN kql_g_lonlat_json(lon, lat)
      ELSE kql_g_point_json(list_slice(kql_g_paths_closest(CAST(flatten(gcp[1]) AS DOUBLE[][][]), kql_g_xyz(lon, lat)), 2, 4)) END)[1] END`,
  kql_geo_distance_point_to_line: `(lon, lat, g) AS CASE WHEN kql_g_okpt(lon, lat) THEN ${R} * kql_g_paths_closest(kql_g_lines(g), kql_g_xyz(lon, lat))[1] END`,
  kql_geo_closest_point_on_line: `(lon, lat, g) AS CASE WHEN kql_g_okpt(lon, lat) THEN
      kql_g_point_json(list_slice(kql_g_paths_closest(kql_g_lines(g), kql_g_xyz(lon, lat)), 2, 4)) END`,
  kql_geo_polygon_area: `(g) AS ${R}.0 * ${R}.0 * kql_g_polys_area(kql_g_polys(g))`,
  kql_geo_polygon_perimeter: `(g) AS ${R} * list_sum(list_transform(CAST(flatten(kql_g_polys(g)) AS DOUBLE[][][]), gpr -> kql_g_path_length(gpr)))`,
  kql_geo_line_length: `(g) AS ${R} * list_sum(list_transform(kql_g_lines(g), glr -> kql_g_path_length(glr)))`,
  kql_geo_polygon_centroid: `(g) AS list_transform([kql_g_polys(g)], gpc -> CASE WHEN gpc IS NOT NULL THEN kql_g_point_json(kql_g_polys_centroid(gpc)) END)[1]`,
  kql_geo_line_centroid: `(g) AS list_transform([kql_g_lines(g)], glc -> CASE WHEN glc IS NOT NULL THEN kql_g_point_json(kql_g_sum(list_transform(glc, glp -> kql_g_path_centroid(glp)))) END)[1]`,
  kql_geo_point_to_geohash: `(lon, lat, acc) AS CASE WHEN kql_g_okpt(lon, lat) AND acc BETWEEN 1 AND 18 THEN kql_g_geohash_encode(
      CAST(least(floor((lon + 180) / 360 * pow(2, (5 * acc + 1) // 2)), pow(2, (5 * acc + 1) // 2) - 1) AS BIGINT),
      CAST(least(floor((lat + 90) / 180 * pow(2, (5 * acc) // 2)), pow(2, (5 * acc) // 2) - 1) AS BIGINT), CAST(acc AS BIGINT)) ELSE '' END`,
  kql_geo_geohash_to_central_point: `(h) AS list_transform([kql_g_geohash_box(h)], ghb -> CASE WHEN ghb IS NOT NULL THEN kql_g_lonlat_json((ghb[1] + ghb[3]) / 2, (ghb[2] + ghb[4]) / 2) END)[1]`,
  kql_geo_geohash_to_polygon: `(h) AS list_transform([kql_g_geohash_box(h)], ghb -> CASE WHEN ghb IS NOT NULL THEN json_object('type', 'Polygon', 'coordinates',
      json_array(json_array(json_array(ghb[1], ghb[2]), json_array(ghb[3], ghb[2]), json_array(ghb[3], ghb[4]), json_array(ghb[1], ghb[4]), json_array(ghb[1], ghb[2])))) END)[1]`,
  /** The 8 neighbouring cells (longitude wraps around, nothing beyond the poles). */
  kql_geo_geohash_neighbors: `(h) AS list_transform([kql_g_geohash_cell(h)], ghn -> CASE WHEN ghn IS NOT NULL THEN to_json(list_transform(
      list_filter([[-1, -1], [-1, 1], [1, -1], [0, 1], [-1, 0], [1, 1], [1, 0], [0, -1]], gho -> ghn[2] + gho[2] >= 0 AND ghn[2] + gho[2] < (1 << CAST((5 * ghn[3]) // 2 AS BIGINT))),
      gho -> kql_g_geohash_encode(((ghn[1] + gho[1]) % (1 << CAST((5 * ghn[3] + 1) // 2 AS BIGINT)) + (1 << CAST((5 * ghn[3] + 1) // 2 AS BIGINT))) % (1 << CAST((5 * ghn[3] + 1) // 2 AS BIGINT)),
        ghn[2] + gho[2], ghn[3]))) END)[1]`,
  kql_geo_from_wkt: `(t) AS CASE WHEN regexp_matches(t, '^\\s*(?i:GEOMETRYCOLLECTION)\\s*\\(') THEN
      list_transform([regexp_extract_all(regexp_extract(t, '^\\s*[A-Za-z]+\\s*\\((.*)\\)\\s*$', 1),
        '(?i:MULTIPOLYGON|MULTILINESTRING|MULTIPOINT|POLYGON|LINESTRING|POINT)\\s*\\((?:[^()]|\\((?:[^()]|\\((?:[^()]|\\([^()]*\\))*\\))*\\))*\\)')], gwc ->
        list_transform([list_transform(gwc, gwg -> kql_g_wkt_one(gwg))], gwl -> CASE WHEN len(gwl) > 0 AND list_bool_and(list_transform(gwl, gwx -> gwx IS NOT NULL))
          THEN json_object('type', 'GeometryCollection', 'geometries', to_json(gwl)) END)[1])[1]
    ELSE kql_g_wkt_one(t) END`,
  kql_geo_line_densify: `(g, tol) AS CASE WHEN tol BETWEEN 0.1 AND 10000 THEN list_transform([kql_g_lines(g)], gld -> CASE WHEN gld IS NOT NULL THEN
      json_object('type', json_extract_string(g, '$.type'), 'coordinates', CASE json_extract_string(g, '$.type') WHEN 'LineString' THEN to_json(kql_g_densify_path(gld[1], tol))
        ELSE to_json(list_transform(gld, gle -> kql_g_densify_path(gle, tol))) END) END)[1] END`,
  kql_geo_polygon_densify: `(g, tol) AS CASE WHEN tol BETWEEN 0.1 AND 10000 THEN list_transform([kql_g_polys(g)], gpd -> CASE WHEN gpd IS NOT NULL THEN
      json_object('type', json_extract_string(g, '$.type'), 'coordinates', CASE json_extract_string(g, '$.type') WHEN 'Polygon' THEN to_json(list_transform(gpd[1], gpr -> kql_g_densify_path(gpr, tol)))
        ELSE to_json(list_transform(gpd, gpq -> list_transform(gpq, gpr -> kql_g_densify_path(gpr, tol)))) END) END)[1] END`,
  kql_geo_line_simplify: `(g, tol) AS CASE WHEN tol >= 0 THEN list_transform([kql_g_lines(g)], gls -> CASE WHEN gls IS NOT NULL THEN
      json_object('type', json_extract_string(g, '$.type'), 'coordinates', CASE json_extract_string(g, '$.type') WHEN 'LineString' THEN to_json(kql_g_simplify_path(gls[1], tol))
        ELSE to_json(list_transform(gls, glt -> kql_g_simplify_path(glt, tol))) END) END)[1] END`,
  /** Simplified polygons: rings simplified one by one; a shell that collapses drops its polygon, a hole that collapses is dropped. */
  kql_g_simplify_polys: `(polys, tol) AS list_filter(list_transform(polys, gsp -> list_filter(list_transform(gsp, gsr -> kql_g_simplify_path(gsr, tol)), (gsq, gsi) -> gsi > 1 OR kql_g_okring(gsq))),
      gso -> kql_g_okring(gso[1]))`,
  kql_geo_polygon_simplify: `(g, tol) AS CASE WHEN tol >= 0 THEN list_transform([kql_g_simplify_polys(kql_g_polys(g), tol)], gps -> CASE WHEN len(gps) > 0 THEN
      json_object('type', json_extract_string(g, '$.type'), 'coordinates', CASE WHEN json_extract_string(g, '$.type') = 'Polygon' THEN to_json(list_filter(gps[1], gpk -> kql_g_okring(gpk)))
        ELSE to_json(list_transform(gps, gpm -> list_filter(gpm, gpk -> kql_g_okring(gpk)))) END) END)[1] END`,
  kql_geo_line_interpolate_point: `(g, f) AS CASE WHEN f BETWEEN 0 AND 1 THEN list_transform([kql_g_lines(g)], gli -> CASE WHEN len(gli) = 1 THEN
      list_transform([kql_g_ring_xyz(gli[1])], glx -> list_transform([kql_g_cumlen(glx)], glc -> list_transform([f * glc[len(glc)]], glt ->
        list_transform([coalesce(list_last(list_filter(range(1, len(glx)), glk -> glc[glk] <= glt)), 1)], glk -> kql_g_point_json(
          kql_g_slerp(glx[glk], glx[least(glk + 1, len(glx))], CASE WHEN glc[least(glk + 1, len(glx))] > glc[glk] THEN (glt - glc[glk]) / (glc[least(glk + 1, len(glx))] - glc[glk]) ELSE 0.0 END)))[1])[1])[1])[1] END)[1] END`,
  kql_geo_line_locate_point: `(g, lon, lat) AS CASE WHEN kql_g_okpt(lon, lat) THEN list_transform([kql_g_lines(g)], gll -> CASE WHEN len(gll) = 1 THEN
      list_transform([kql_g_ring_xyz(gll[1])], glx -> list_transform([kql_g_cumlen(glx)], glc -> list_transform([list_min(list_transform(list_slice(glx, 1, len(glx) - 1),
        (glv, glk) -> list_transform([kql_g_edge_closest(glv, glx[glk + 1], kql_g_xyz(lon, lat))], glq -> [glq[1], glc[glk] + kql_g_angle(glv, list_slice(glq, 2, 4))])[1]))], glm ->
        CASE WHEN glc[len(glc)] > 0 THEN glm[2] / glc[len(glc)] ELSE 0.0 END)[1])[1])[1] END)[1] END`,
  kql_geo_point_buffer: `(lon, lat, radius, tol) AS CASE WHEN kql_g_okpt(lon, lat) AND radius > 0 AND tol > 0 AND tol >= radius * 1e-6 THEN
      json_object('type', 'Polygon', 'coordinates', to_json([kql_g_circle_ring(kql_g_xyz(lon, lat), radius / ${R}.0,
        CAST(greatest(8, ceil(pi() / acos(1 - least(tol, radius * 0.999) / radius))) AS BIGINT))])) END`,
  kql_geo_intersects_2lines: `(g1, g2) AS list_transform([[kql_g_lines(g1), kql_g_lines(g2)]], gil -> CASE WHEN gil[1] IS NOT NULL AND gil[2] IS NOT NULL THEN
      len(kql_g_edges_intersections(kql_g_edges(gil[1]), kql_g_edges(gil[2]))) > 0 END)[1]`,
  kql_geo_intersects_line_with_polygon: `(gl, gp) AS list_transform([[kql_g_lines(gl)]], gil -> list_transform([[kql_g_polys(gp)]], gip -> CASE WHEN gil[1] IS NOT NULL AND gip[1] IS NOT NULL THEN
      list_bool_or(list_transform(flatten(gil[1]), giv -> kql_g_polys_contain(gip[1], kql_g_xyz(giv[1], giv[2]))))
      OR len(kql_g_edges_intersections(kql_g_edges(gil[1]), kql_g_edges(flatten(gip[1])))) > 0 END)[1])[1]`,
  /** Whether two prepared polygon sets intersect: a vertex of one inside the other, or crossing edges. */
  kql_g_prep_intersect: `(pa, pb) AS kql_g_angle(pa.cc, pb.cc) <= pa.cr + pb.cr + 1e-12 AND (
      list_bool_or(list_transform(pa.verts, pva -> kql_g_prep_contains(pb, pva))) OR list_bool_or(list_transform(pb.verts, pvb -> kql_g_prep_contains(pa, pvb)))
      OR list_bool_or(flatten(list_transform(pa.edges, pea -> list_transform(pb.edges, peb -> kql_g_edge_intersection(pea[1], pea[2], peb[1], peb[2]) IS NOT NULL)))))`,
  kql_g_polys_intersect: `(p1, p2) AS kql_g_prep_intersect(kql_g_prep_polys(p1), kql_g_prep_polys(p2))`,
  kql_geo_intersects_2polygons: `(g1, g2) AS list_transform([[kql_g_polys(g1), kql_g_polys(g2)]], gip -> CASE WHEN gip[1] IS NOT NULL AND gip[2] IS NOT NULL THEN
      kql_g_polys_intersect(gip[1], gip[2]) END)[1]`,
  /** Crossing points of two lines: nothing, a Point or a MultiPoint (overlapping edges are not computed). */
  kql_geo_intersection_2lines: `(g1, g2) AS list_transform([[kql_g_lines(g1), kql_g_lines(g2)]], gil -> CASE WHEN gil[1] IS NOT NULL AND gil[2] IS NOT NULL THEN
      list_transform([list_distinct(kql_g_edges_intersections(kql_g_edges(gil[1]), kql_g_edges(gil[2])))], gin -> CASE len(gin)
        WHEN 0 THEN json_object('type', 'GeometryCollection', 'geometries', json_array())
        WHEN 1 THEN kql_g_point_json(gin[1])
        ELSE json_object('type', 'MultiPoint', 'coordinates', to_json(list_transform(gin, gim -> [kql_g_lon(gim), kql_g_lat(gim)]))) END)[1] END)[1]`,
  /** Only the cases without a shared area are computed: invalid input → null, disjoint → empty collection. */
  kql_geo_intersection_2polygons: `(g1, g2) AS list_transform([[kql_g_polys(g1), kql_g_polys(g2)]], gip -> CASE WHEN gip[1] IS NULL OR gip[2] IS NULL THEN NULL
      WHEN NOT kql_g_polys_intersect(gip[1], gip[2]) THEN json_object('type', 'GeometryCollection', 'geometries', json_array())
      ELSE CAST(error('geo_intersection_2polygons() of overlapping polygons is not supported by chainhunt yet') AS JSON) END)[1]`,
  kql_geo_intersection_line_with_polygon: `(gl, gp) AS CASE WHEN kql_g_lines(gl) IS NULL OR kql_g_polys(gp) IS NULL THEN NULL
      WHEN NOT kql_geo_intersects_line_with_polygon(gl, gp) THEN json_object('type', 'GeometryCollection', 'geometries', json_array())
      ELSE CAST(error('geo_intersection_line_with_polygon() of intersecting shapes is not supported by chainhunt yet') AS JSON) END`,
  kql_geo_line_buffer: `(g, radius, tol) AS CASE WHEN kql_g_lines(g) IS NULL OR NOT (radius > 0) OR NOT (tol > 0) THEN NULL
      ELSE CAST(error('geo_line_buffer() is not supported by chainhunt yet') AS JSON) END`,
  kql_geo_polygon_buffer: `(g, radius, tol) AS CASE WHEN kql_g_polys(g) IS NULL OR NOT (radius > 0) OR NOT (tol > 0) THEN NULL
      ELSE CAST(error('geo_polygon_buffer() is not supported by chainhunt yet') AS JSON) END`,
  /** Invalid polygons → null; polygons that vanish → null; several remaining polygons need a union (not supported). */
  kql_geo_simplify_polygons_array: `(arr, tol) AS CASE WHEN NOT (tol >= 0) OR json_type(arr) <> 'ARRAY' THEN NULL ELSE
      list_transform([list_transform(CAST(arr AS JSON[]), gsa -> kql_g_polys(gsa))], gsb -> CASE WHEN NOT list_bool_and(list_transform(gsb, gsc -> gsc IS NOT NULL)) THEN NULL
        ELSE list_transform([flatten(list_transform(gsb, gsc -> kql_g_simplify_polys(gsc, tol)))], gsd -> CASE len(gsd) WHEN 0 THEN NULL
          WHEN 1 THEN json_object('type', 'Polygon', 'coordinates', to_json(gsd[1]))
          ELSE CAST(error('geo_simplify_polygons_array() of several polygons is not supported by chainhunt yet') AS JSON) END)[1] END)[1] END`,
  kql_geo_union_polygons_array: `(arr) AS CASE WHEN json_type(arr) <> 'ARRAY' THEN NULL ELSE
      list_transform([list_transform(CAST(arr AS JSON[]), gua -> kql_g_polys(gua))], gub -> CASE WHEN len(gub) = 0 OR NOT list_bool_and(list_transform(gub, guc -> guc IS NOT NULL)) THEN NULL
        WHEN len(gub) = 1 THEN json_extract(arr, '$[0]')
        ELSE CAST(error('geo_union_polygons_array() of several polygons is not supported by chainhunt yet') AS JSON) END)[1] END`,
  kql_geo_union_lines_array: `(arr) AS CASE WHEN json_type(arr) <> 'ARRAY' THEN NULL ELSE
      list_transform([list_transform(CAST(arr AS JSON[]), gua -> kql_g_lines(gua))], gub -> CASE WHEN len(gub) = 0 OR NOT list_bool_and(list_transform(gub, guc -> guc IS NOT NULL)) THEN NULL
        WHEN len(gub) = 1 THEN json_extract(arr, '$[0]')
        ELSE CAST(error('geo_union_lines_array() of several lines is not supported by chainhunt yet') AS JSON) END)[1] END`,
  kql_geo_point_to_s2cell: `(lon, lat, level) AS CASE WHEN kql_g_okpt(lon, lat) AND level BETWEEN 0 AND 30 THEN kql_g_s2_token(kql_g_s2_cell_of(kql_g_xyz(lon, lat), CAST(level AS BIGINT))) ELSE '' END`,
  kql_geo_s2cell_to_central_point: `(t) AS list_transform([kql_g_s2_fij(kql_g_s2_parse(t))], gsc -> CASE WHEN gsc IS NOT NULL THEN kql_g_point_json(kql_g_s2_st_xyz(gsc[1],
      (gsc[2] + (1 << CAST(30 - gsc[4] AS BIGINT)) / 2.0) / 1073741824, (gsc[3] + (1 << CAST(30 - gsc[4] AS BIGINT)) / 2.0) / 1073741824)) END)[1]`,
  kql_geo_s2cell_to_polygon: `(t) AS list_transform([kql_g_s2_fij(kql_g_s2_parse(t))], gsc -> CASE WHEN gsc IS NOT NULL THEN
      list_transform([[gsc[2] / 1073741824.0, (gsc[2] + (1 << CAST(30 - gsc[4] AS BIGINT))) / 1073741824.0, gsc[3] / 1073741824.0, (gsc[3] + (1 << CAST(30 - gsc[4] AS BIGINT))) / 1073741824.0]], gsb ->
        list_transform([[kql_g_s2_st_xyz(gsc[1], gsb[1], gsb[3]), kql_g_s2_st_xyz(gsc[1], gsb[2], gsb[3]), kql_g_s2_st_xyz(gsc[1], gsb[2], gsb[4]), kql_g_s2_st_xyz(gsc[1], gsb[1], gsb[4])]], gsv ->
          json_object('type', 'Polygon', 'coordinates', to_json([list_transform([gsv[1], gsv[2], gsv[3], gsv[4], gsv[1]], gsw -> [kql_g_lon(gsw), kql_g_lat(gsw)])])))[1])[1] END)[1]`,
  /** The cells around a cell at its level, in S2's AppendAllNeighbors order, without repeats (8 but near cube corners). */
  kql_geo_s2cell_neighbors: `(t) AS list_transform([kql_g_s2_fij(kql_g_s2_parse(t))], gsn -> CASE WHEN gsn IS NOT NULL THEN
      list_transform([1 << CAST(30 - gsn[4] AS BIGINT)], gsz -> to_json(list_transform([list_transform([
        [-gsz, -gsz, CASE WHEN gsn[3] - gsz >= 0 AND gsn[2] - gsz >= 0 THEN 1 ELSE 0 END], [gsz, -gsz, CASE WHEN gsn[3] - gsz >= 0 AND gsn[2] + gsz < 1073741824 THEN 1 ELSE 0 END],
        [0, -gsz, CASE WHEN gsn[3] - gsz >= 0 THEN 1 ELSE 0 END], [0, gsz, CASE WHEN gsn[3] + gsz < 1073741824 THEN 1 ELSE 0 END],
        [-gsz, 0, CASE WHEN gsn[2] - gsz >= 0 THEN 1 ELSE 0 END], [gsz, 0, CASE WHEN gsn[2] + gsz < 1073741824 THEN 1 ELSE 0 END],
        [-gsz, gsz, CASE WHEN gsn[3] + gsz < 1073741824 AND gsn[2] - gsz >= 0 THEN 1 ELSE 0 END], [gsz, gsz, CASE WHEN gsn[3] + gsz < 1073741824 AND gsn[2] + gsz < 1073741824 THEN 1 ELSE 0 END]],
        gso -> kql_g_s2_token(kql_g_s2_same_id(gsn[1], gsn[2] + gso[1], gsn[3] + gso[2], gsn[4], gso[3] = 1)))], gsd -> list_filter(gsd, (gsx, gsi) -> list_position(gsd, gsx) = gsi))[1]))[1] END)[1]`,
  kql_geo_h3cell_level: `(h) AS list_transform([kql_g_h3_parse(h)], ghl -> CAST((ghl >> 52) & 15 AS INTEGER))[1]`,
  kql_geo_h3cell_parent: `(h, res) AS coalesce(list_transform([kql_g_h3_parse(h)], ghq -> CASE WHEN ghq IS NOT NULL AND coalesce(res, ((ghq >> 52) & 15) - 1) BETWEEN 0 AND ((ghq >> 52) & 15)
      THEN printf('%x', ((ghq & ~(CAST(15 AS UBIGINT) << 52)) | (CAST(coalesce(res, ((ghq >> 52) & 15) - 1) AS UBIGINT) << 52))
        | ((CAST(1 AS UBIGINT) << CAST(3 * (15 - coalesce(res, ((ghq >> 52) & 15) - 1)) AS UBIGINT)) - 1)) END)[1], '')`,
  /** The cell of an id as polygons (DOUBLE[][][][]: one polygon, one ring of [lon, lat]). */
  kql_g_s2_cell_polys: `(id) AS list_transform([kql_g_s2_fij(id)], gcf ->
      list_transform([[gcf[2] / 1073741824.0, (gcf[2] + (1 << CAST(30 - gcf[4] AS BIGINT))) / 1073741824.0, gcf[3] / 1073741824.0, (gcf[3] + (1 << CAST(30 - gcf[4] AS BIGINT))) / 1073741824.0]], gcg ->
        [[list_transform([kql_g_s2_st_xyz(gcf[1], gcg[1], gcg[3]), kql_g_s2_st_xyz(gcf[1], gcg[2], gcg[3]), kql_g_s2_st_xyz(gcf[1], gcg[2], gcg[4]), kql_g_s2_st_xyz(gcf[1], gcg[1], gcg[4]),
          kql_g_s2_st_xyz(gcf[1], gcg[1], gcg[3])], gch -> [kql_g_lon(gch), kql_g_lat(gch)])]])[1])[1]`,
  /**
   * Cells of a level that intersect polygons: from the six faces down, keeping the children that
   * intersect; null beyond 65536 cells.
   */
  /** The 4 corners (unit vectors, counterclockwise) of a cell. */
  kql_g_s2_cell_xyz: `(id) AS list_transform([kql_g_s2_fij(id)], gcf ->
      list_transform([[gcf[2] / 1073741824.0, (gcf[2] + (1 << CAST(30 - gcf[4] AS BIGINT))) / 1073741824.0, gcf[3] / 1073741824.0, (gcf[3] + (1 << CAST(30 - gcf[4] AS BIGINT))) / 1073741824.0]], gcg ->
        [kql_g_s2_st_xyz(gcf[1], gcg[1], gcg[3]), kql_g_s2_st_xyz(gcf[1], gcg[2], gcg[3]), kql_g_s2_st_xyz(gcf[1], gcg[2], gcg[4]), kql_g_s2_st_xyz(gcf[1], gcg[1], gcg[4])])[1])[1]`,
  /** Polygon edges with a bounding cap each: {a, b, m (midpoint), h (half length)}. */
  kql_g_prep_edge_caps: `(pp) AS list_transform(pp.edges, gpe -> {'a': gpe[1], 'b': gpe[2], 'm': kql_g_unit(kql_g_add(gpe[1], gpe[2])), 'h': kql_g_angle(gpe[1], gpe[2]) / 2})`,
  /**
   * How a cell meets prepared polygons: 0 apart, 1 inside, 2 across the boundary. Only the polygon
   * edges whose caps reach the cell's cap are tested; with none, the cell is wholly in or out.
   */
  kql_g_s2_cell_test: `(id, pp, ed) AS list_transform([kql_g_s2_cell_xyz(id)], gtx -> list_transform([kql_g_unit(kql_g_sum(gtx))], gtc ->
      list_transform([list_max(list_transform(gtx, gtv -> kql_g_angle(gtv, gtc)))], gtr ->
        list_transform([list_filter(ed, gte -> kql_g_angle(gte.m, gtc) <= gte.h + gtr + 1e-12)], gtn ->
          CAST(CASE WHEN len(gtn) = 0 THEN (CASE WHEN kql_g_prep_contains(pp, gtc) THEN 1 ELSE 0 END)
            WHEN list_bool_or(list_transform(gtx, gtv -> kql_g_prep_contains(pp, gtv)))
              OR list_bool_or(flatten(list_transform(gtn, gte -> list_transform([1, 2, 3, 4], gtk -> kql_g_edge_intersection(gte.a, gte.b, gtx[gtk], gtx[gtk % 4 + 1]) IS NOT NULL))))
              OR list_transform([kql_g_prep_ring_x(list_concat(gtx, [gtx[1]]))], gtq -> list_bool_or(list_transform(gtn, gte -> kql_g_prep_ring_contains(gtq, gte.a))))[1]
            THEN 2 ELSE 0 END AS UBIGINT))[1])[1])[1])[1]`,
  kql_g_s2_children: `(id) AS list_transform([id & ((~id) + 1)], gcl -> list_transform(range(4), gck -> id - gcl + (gcl >> 2) + CAST(gck AS UBIGINT) * (gcl >> 1)))[1]`,
  /**
   * Cells of a level that intersect polygons: from the six faces down, testing the children of cells
   * across the boundary (children of inside cells are inside); null beyond 65536 cells.
   */
  kql_g_s2_cover: `(polys, level) AS list_transform([kql_g_prep_polys(polys)], gcp -> list_transform([kql_g_prep_edge_caps(gcp)], gce ->
      list_transform(list_reduce(list_transform(range(level), gcr -> [[CAST(0 AS UBIGINT), CAST(0 AS UBIGINT)]]),
        (gca, gcx) -> CASE WHEN len(gca) > 65536 THEN gca ELSE flatten(list_transform(gca, gcc -> CASE WHEN gcc[2] = 1 THEN list_transform(kql_g_s2_children(gcc[1]), gch -> [gch, gcc[2]])
          ELSE list_filter(list_transform(kql_g_s2_children(gcc[1]), gch -> [gch, kql_g_s2_cell_test(gch, gcp, gce)]), gct -> gct[2] > 0) END)) END,
        list_filter(list_transform(range(6), gcf -> list_transform([(CAST(gcf AS UBIGINT) << 61) | (CAST(1 AS UBIGINT) << 60)], gcg -> [gcg, kql_g_s2_cell_test(gcg, gcp, gce)])[1]), gct -> gct[2] > 0)),
      gcz -> gcz[1]))[1])[1]`,

  kql_geo_polygon_to_s2cells: `(g, level, radius) AS CASE WHEN level BETWEEN 0 AND 30 AND radius >= 0 THEN list_transform([kql_g_polys(g)], gps -> CASE WHEN gps IS NULL THEN NULL
      WHEN radius > 0 THEN CAST(error('geo_polygon_to_s2cells() with a radius is not supported by chainhunt yet') AS JSON)
      ELSE list_transform([kql_g_s2_cover(gps, CAST(level AS BIGINT))], gpc -> CASE WHEN len(gpc) <= 65536 THEN to_json(list_transform(gpc, gpt -> kql_g_s2_token(gpt))) END)[1] END)[1] END`,
};

/** Splits SQL text into alternating [outside, quoted, outside, ...] parts. */
function quoteParts(sql: string): string[] {
  return sql.split(/('(?:[^']|'')*')/);
}

function replaceOutsideQuotes(sql: string, re: RegExp, by: string): string {
  return quoteParts(sql).map((part, i) => (i % 2 === 1 ? part : part.replace(re, by))).join('');
}

/**
 * CREATE MACRO statements, made safe for textual expansion:
 * - an argument used more than once, or inside a lambda, is bound once (a one-element list_transform
 *   "let"), so an expensive argument is not evaluated again for every use or every list element
 *   (not for bodies with subqueries, which bind their arguments in FROM clauses instead);
 * - every lambda parameter is renamed to <name>_<tag><macro number> (outside quoted text and struct
 *   field accesses), so a lambda of one macro cannot capture an identifier of an argument written in
 *   another macro's lambda. A lambda parameter must not share its name with a macro parameter.
 */
export function macroStatements(defs: Record<string, string>, tag: string): string[] {
  const withSubqueries = new Set<string>();
  return Object.entries(defs).map(([name, def], n) => {
    const head = /^\(([^)]*)\)\s+AS\s+/.exec(def);
    if (!head) throw new Error(`macro ${name}: expected (params) AS body`);
    const params = head[1]!.split(',').map(x => x.trim()).filter(Boolean);
    let body = def.slice(head[0].length);
    const lambdaParams = new Set<string>();
    for (const m of body.matchAll(/(?:\(\s*(\w+)\s*,\s*(\w+)(?:\s*,\s*(\w+))?\s*\)|\b(\w+))\s*->/g)) {
      for (const g of [m[1], m[2], m[3], m[4]]) if (g) lambdaParams.add(g);
    }
    for (const lp of lambdaParams) if (params.includes(lp)) throw new Error(`macro ${name}: lambda parameter ${lp} is also a macro parameter`);
    const callsSubqueryMacro = [...body.matchAll(/\b(kql_\w+)\s*\(/g)].some(m => withSubqueries.has(m[1]!));
    if (/\bSELECT\b/i.test(body) || callsSubqueryMacro) withSubqueries.add(name);
    if (!withSubqueries.has(name) && params.length > 0) {
      // Bound with nested one-element lists (a struct would lose its field names in DuckDB's macro
      // expansion); not for bodies with (or calling macros with) subqueries, which cannot sit in a lambda.
      const outside = quoteParts(body).filter((_, i) => i % 2 === 0).join("''");
      const firstLambda = outside.indexOf('->');
      const shared = params.filter(p => {
        const uses = [...outside.matchAll(new RegExp(`(?<![.\\w])${p}\\b`, 'g'))].map(m => m.index!);
        return uses.length > 1 || (uses.length === 1 && firstLambda >= 0 && uses[0]! > firstLambda);
      });
      if (shared.length > 0) {
        const re = new RegExp(`(?<![.\\w])(${shared.join('|')})\\b`, 'g');
        body = replaceOutsideQuotes(body, re, 'mlet_$1');
        for (const p of [...shared].reverse()) body = `list_transform([${p}], mlet_${p} -> ${body})[1]`;
        for (const p of shared) lambdaParams.add(`mlet_${p}`);
      }
    }
    if (lambdaParams.size > 0) {
      body = replaceOutsideQuotes(body, new RegExp(`(?<![.\\w])(${[...lambdaParams].join('|')})\\b`, 'g'), `$1_${tag}${n}`);
    }
    return `CREATE OR REPLACE TEMP MACRO ${name}(${params.join(', ')}) AS ${body}`;
  });
}

export const GEO_MACROS: readonly string[] = macroStatements(macros, 'g');
