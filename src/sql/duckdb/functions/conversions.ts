// DuckDB: Conversions between Kusto types (tostring, tolong, todatetime...) and parse_json.
import { conversion, toDynamicSql, type FunctionTable } from './common.js';

export const CONVERSIONS_FUNCTIONS: FunctionTable = {
  tostring: conversion('string'),
  tolong: conversion('long'),
  toint: conversion('int'),
  toreal: conversion('real'),
  todecimal: conversion('decimal'),
  tobool: conversion('bool'),
  todatetime: conversion('datetime'),
  totimespan: conversion('timespan'),
  toguid: conversion('guid'),
  as_dynamic: conversion('dynamic'),
  parse_json: ([a]) => (a!.type === 'dynamic' ? a!.sql : a!.type === 'string' ? `kql_parse_json(${a!.sql})` : toDynamicSql(a!)),
};
