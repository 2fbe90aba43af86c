// DuckDB: Kusto's geo_*() functions. The work is done by the macros of ../geo-macros.ts; these
// templates only cast the arguments (numbers to DOUBLE, shapes as JSON).
import type { ScalarTemplate, SqlArg } from '../../dialect.js';
import { toDynamicSql, type FunctionTable } from './common.js';

/**
 * DuckDB refuses subqueries anywhere inside a lambda, and the macros bind their arguments in lambdas.
 * When an argument holds a subquery (toscalar()), the call is made inside a scalar subquery that
 * first binds every argument as a column.
 */
export function bindingSubqueries(template: ScalarTemplate): ScalarTemplate {
  return (args, call, ctx) => {
    if (!args.some(a => /\(\s*SELECT\b/i.test(a.sql))) return template(args, call, ctx);
    const bound = args.map((a, i) => ({ ...a, sql: `"__arg${i}"` }));
    return `(SELECT ${template(bound, call, ctx)} FROM (SELECT ${args.map((a, i) => `${a.sql} AS "__arg${i}"`).join(', ')}))`;
  };
}

export function bindingSubqueriesIn(table: FunctionTable): FunctionTable {
  return Object.fromEntries(Object.entries(table).map(([name, t]) => [name, bindingSubqueries(t)]));
}

const real = (a: SqlArg | undefined) => (a ? `CAST(${a.sql} AS DOUBLE)` : 'CAST(NULL AS DOUBLE)');
const json = (a: SqlArg | undefined) => (a ? toDynamicSql(a) : 'CAST(NULL AS JSON)');

/** Argument kinds of each function: r = real, j = dynamic (GeoJSON), s = string, i = long. */
const SIGNATURES: Record<string, string> = {
  geo_point_in_circle: 'rrrrr',
  geo_azimuth: 'rrrr',
  geo_angle: 'rrrrrr',
  geo_point_in_polygon: 'rrj',
  geo_distance_point_to_polygon: 'rrj',
  geo_closest_point_on_polygon: 'rrj',
  geo_distance_point_to_line: 'rrj',
  geo_closest_point_on_line: 'rrj',
  geo_polygon_area: 'j',
  geo_polygon_perimeter: 'j',
  geo_line_length: 'j',
  geo_polygon_centroid: 'j',
  geo_line_centroid: 'j',
  geo_geohash_to_central_point: 's',
  geo_geohash_to_polygon: 's',
  geo_geohash_neighbors: 's',
  geo_from_wkt: 's',
  geo_line_interpolate_point: 'jr',
  geo_intersects_2lines: 'jj',
  geo_intersects_line_with_polygon: 'jj',
  geo_intersects_2polygons: 'jj',
  geo_intersection_2lines: 'jj',
  geo_intersection_2polygons: 'jj',
  geo_intersection_line_with_polygon: 'jj',
  geo_union_polygons_array: 'j',
  geo_union_lines_array: 'j',
  geo_s2cell_to_central_point: 's',
  geo_s2cell_to_polygon: 's',
  geo_s2cell_neighbors: 's',
  geo_h3cell_level: 's',
};

const text = (a: SqlArg | undefined) => (a ? a.sql : "''");
const long = (a: SqlArg | undefined) => (a ? `CAST(${a.sql} AS BIGINT)` : 'CAST(NULL AS BIGINT)');
const KIND: Record<string, (a: SqlArg | undefined) => string> = { r: real, j: json, s: text, i: long };

/**
 * Keeps arguments a template does not use in the SQL (their bound parameters must still appear in
 * the statement), without effect on the result.
 */
export function withUnused(sql: string, unused: readonly (SqlArg | undefined)[]): string {
  const kept = unused.filter((a): a is SqlArg => a !== undefined);
  return kept.length === 0 ? sql : `(CASE WHEN (${kept.map(a => `(${a.sql}) IS NULL`).join(' OR ')}) OR true THEN ${sql} END)`;
}

function byMacro(name: string, kinds: string) {
  return (args: SqlArg[]) => withUnused(`kql_${name}(${[...kinds].map((k, i) => KIND[k]!(args[i])).join(', ')})`, args.slice(kinds.length));
}

/** An optional real argument with its default. */
const realOr = (a: SqlArg | undefined, dflt: number) => (a ? real(a) : `CAST(${dflt} AS DOUBLE)`);

/** use_spheroid = true (distances on the WGS-84 ellipsoid) is not implemented: it raises an error at run time. */
function sphereOnly(sql: string, useSpheroid: SqlArg | undefined, name: string): string {
  if (!useSpheroid || (useSpheroid.ir.kind === 'literal' && useSpheroid.ir.value === false)) return withUnused(sql, [useSpheroid]);
  return `CASE WHEN coalesce(${useSpheroid.sql}, false) THEN CAST(error('${name}() with use_spheroid is not supported by chainhunt yet') AS DOUBLE) ELSE ${sql} END`;
}

export const GEO_FUNCTIONS: FunctionTable = bindingSubqueriesIn({
  geo_distance_2points: ([lon1, lat1, lon2, lat2, spheroid]) =>
    sphereOnly(`kql_geo_distance_2points(${real(lon1)}, ${real(lat1)}, ${real(lon2)}, ${real(lat2)})`, spheroid, 'geo_distance_2points'),
  geo_line_locate_point: ([g, lon, lat, spheroid]) => sphereOnly(`kql_geo_line_locate_point(${json(g)}, ${real(lon)}, ${real(lat)})`, spheroid, 'geo_line_locate_point'),
  geo_polygon_to_s2cells: ([g, level, radius]) => `kql_geo_polygon_to_s2cells(${json(g)}, ${level ? long(level) : '11'}, ${realOr(radius, 0)})`,
  geo_point_to_s2cell: ([lon, lat, level]) => `kql_geo_point_to_s2cell(${real(lon)}, ${real(lat)}, ${level ? long(level) : '11'})`,
  geo_h3cell_parent: ([h, res]) => `kql_geo_h3cell_parent(${text(h)}, ${long(res)})`,
  // preserve_crossing (edges over the antimeridian) is not implemented: edges are taken as given.
  geo_line_densify: ([g, tol, crossing]) => withUnused(`kql_geo_line_densify(${json(g)}, ${realOr(tol, 10)})`, [crossing]),
  geo_polygon_densify: ([g, tol, crossing]) => withUnused(`kql_geo_polygon_densify(${json(g)}, ${realOr(tol, 10)})`, [crossing]),
  geo_line_simplify: ([g, tol]) => `kql_geo_line_simplify(${json(g)}, ${realOr(tol, 10)})`,
  geo_polygon_simplify: ([g, tol]) => `kql_geo_polygon_simplify(${json(g)}, ${realOr(tol, 10)})`,
  geo_simplify_polygons_array: ([g, tol]) => `kql_geo_simplify_polygons_array(${json(g)}, ${realOr(tol, 10)})`,
  geo_point_buffer: ([lon, lat, radius, tol]) => `kql_geo_point_buffer(${real(lon)}, ${real(lat)}, ${real(radius)}, ${realOr(tol, 10)})`,
  geo_line_buffer: ([g, radius, tol]) => `kql_geo_line_buffer(${json(g)}, ${real(radius)}, ${realOr(tol, 10)})`,
  geo_polygon_buffer: ([g, radius, tol]) => `kql_geo_polygon_buffer(${json(g)}, ${real(radius)}, ${realOr(tol, 10)})`,
  geo_point_to_geohash: ([lon, lat, acc]) => `kql_geo_point_to_geohash(${real(lon)}, ${real(lat)}, ${acc ? long(acc) : '5'})`,
  ...Object.fromEntries(Object.entries(SIGNATURES).map(([name, kinds]) => [name, byMacro(name, kinds)])),
});
