// DuckDB: convert_angle / energy / force / length / mass / speed / temperature / volume.
// Units as Kusto names them (the UnitsNet names); each linear unit is its size in the category's
// base unit. Unknown units give null.
import type { SqlArg, SqlContext } from '../../dialect.js';
import { constString, toStringSql, type FunctionTable } from './common.js';

const DEG_PER_RAD = 180 / Math.PI;
const BTU = 1055.05585262;
const EV = 1.602176634e-19;
const THERM_EC = 1.05505585262e8;
const THERM_IMPERIAL = 1.05505585257348e8;
const THERM_US = 1.054804e8;
const LIGHT_YEAR = 9.46073047258e15;
const PARSEC = 3.08567758128e16;
const US_SURVEY_FOOT = 1200 / 3937;
const POUND = 0.45359237;
const CUBIC_FOOT = 0.028316846592;
const US_GALLON = 3.785411784e-3;
const IMPERIAL_GALLON = 4.54609e-3;

/** Size of each unit in degrees, joules, newtons, meters, kilograms, m/s and m³. */
const LINEAR: Record<string, Record<string, number>> = {
  angle: {
    Arcminute: 1 / 60, Arcsecond: 1 / 3600, Centiradian: 0.01 * DEG_PER_RAD, Deciradian: 0.1 * DEG_PER_RAD, Degree: 1, Gradian: 0.9,
    Microdegree: 1e-6, Microradian: 1e-6 * DEG_PER_RAD, Millidegree: 1e-3, Milliradian: 1e-3 * DEG_PER_RAD, Nanodegree: 1e-9,
    Nanoradian: 1e-9 * DEG_PER_RAD, NatoMil: 360 / 6400, Radian: DEG_PER_RAD, Revolution: 360,
  },
  energy: {
    BritishThermalUnit: BTU, Calorie: 4.184, DecathermEc: 10 * THERM_EC, DecathermImperial: 10 * THERM_IMPERIAL, DecathermUs: 10 * THERM_US,
    ElectronVolt: EV, Erg: 1e-7, FootPound: 1.355817948, GigabritishThermalUnit: BTU * 1e9, GigaelectronVolt: EV * 1e9, Gigajoule: 1e9,
    GigawattDay: 8.64e13, GigawattHour: 3.6e12, HorsepowerHour: 2.6845195377e6, Joule: 1, KilobritishThermalUnit: BTU * 1e3,
    Kilocalorie: 4184, KiloelectronVolt: EV * 1e3, Kilojoule: 1e3, KilowattDay: 8.64e7, KilowattHour: 3.6e6, MegabritishThermalUnit: BTU * 1e6,
    Megacalorie: 4.184e6, MegaelectronVolt: EV * 1e6, Megajoule: 1e6, MegawattDay: 8.64e10, MegawattHour: 3.6e9, Millijoule: 1e-3,
    TeraelectronVolt: EV * 1e12, TerawattDay: 8.64e16, TerawattHour: 3.6e15, ThermEc: THERM_EC, ThermImperial: THERM_IMPERIAL, ThermUs: THERM_US,
    WattDay: 86400, WattHour: 3600,
  },
  force: {
    Decanewton: 10, Dyn: 1e-5, KilogramForce: 9.80665, Kilonewton: 1e3, KiloPond: 9.80665, KilopoundForce: 4448.2216152605, Meganewton: 1e6,
    Micronewton: 1e-6, Millinewton: 1e-3, Newton: 1, OunceForce: 0.2780138509537812, Poundal: 0.138254954376, PoundForce: 4.4482216152605,
    ShortTonForce: 8896.443230521, TonneForce: 9806.65,
  },
  length: {
    Angstrom: 1e-10, AstronomicalUnit: 1.495978707e11, Centimeter: 1e-2, Chain: 20.1168, DataMile: 1828.8, Decameter: 10, Decimeter: 0.1,
    DtpPica: 1 / 236.220472441, DtpPoint: 1 / 2834.64566929, Fathom: 1.8288, Foot: 0.3048, Hand: 0.1016, Hectometer: 100, Inch: 0.0254,
    KilolightYear: LIGHT_YEAR * 1e3, Kilometer: 1e3, Kiloparsec: PARSEC * 1e3, LightYear: LIGHT_YEAR, MegalightYear: LIGHT_YEAR * 1e6,
    Megaparsec: PARSEC * 1e6, Meter: 1, Microinch: 2.54e-8, Micrometer: 1e-6, Mil: 2.54e-5, Mile: 1609.344, Millimeter: 1e-3, Nanometer: 1e-9,
    NauticalMile: 1852, Parsec: PARSEC, PrinterPica: 1 / 237.106301584, PrinterPoint: 0.0254 / 72.27, Shackle: 27.432, SolarRadius: 6.9551e8,
    Twip: 1 / 56692.913385826, UsSurveyFoot: US_SURVEY_FOOT, Yard: 0.9144,
  },
  mass: {
    Centigram: 1e-5, Decagram: 1e-2, Decigram: 1e-4, EarthMass: 5.9722e24, Grain: 6.479891e-5, Gram: 1e-3, Hectogram: 0.1, Kilogram: 1,
    Kilopound: POUND * 1e3, Kilotonne: 1e6, LongHundredweight: 50.80234544, LongTon: 1016.0469088, Megapound: POUND * 1e6, Megatonne: 1e9,
    Microgram: 1e-9, Milligram: 1e-6, Nanogram: 1e-12, Ounce: 0.028349523125, Pound: POUND, ShortHundredweight: 45.359237, ShortTon: 907.18474,
    Slug: 14.593902937206364, SolarMass: 1.98947e30, Stone: 6.35029318, Tonne: 1000,
  },
  speed: {},
  volume: {
    AcreFoot: 1 / 0.000810714, AuTablespoon: 2e-5, BoardFoot: 2.3597372158e-3, Centiliter: 1e-5, CubicCentimeter: 1e-6, CubicDecimeter: 1e-3,
    CubicFoot: CUBIC_FOOT, CubicHectometer: 1e6, CubicInch: 1.6387064e-5, CubicKilometer: 1e9, CubicMeter: 1, CubicMicrometer: 1e-18,
    CubicMile: 4.16818182544058e9, CubicMillimeter: 1e-9, CubicYard: 0.764554858, Decaliter: 1e-2, DecausGallon: 10 * US_GALLON, Deciliter: 1e-4,
    DeciusGallon: 0.1 * US_GALLON, HectocubicFoot: 100 * CUBIC_FOOT, HectocubicMeter: 100, Hectoliter: 0.1, HectousGallon: 100 * US_GALLON,
    ImperialBeerBarrel: 0.16365924, ImperialGallon: IMPERIAL_GALLON, ImperialOunce: 2.84130625e-5, ImperialPint: 5.6826125e-4,
    KilocubicFoot: 1e3 * CUBIC_FOOT, KilocubicMeter: 1e3, KiloimperialGallon: 1e3 * IMPERIAL_GALLON, Kiloliter: 1, KilousGallon: 1e3 * US_GALLON,
    Liter: 1e-3, MegacubicFoot: 1e6 * CUBIC_FOOT, MegaimperialGallon: 1e6 * IMPERIAL_GALLON, Megaliter: 1e3, MegausGallon: 1e6 * US_GALLON,
    MetricCup: 2.5e-4, MetricTeaspoon: 5e-6, Microliter: 1e-9, Milliliter: 1e-6, OilBarrel: 0.158987294928, UkTablespoon: 1.5e-5,
    UsBeerBarrel: 0.1173477658, UsCustomaryCup: 2.365882365e-4, UsGallon: US_GALLON, UsLegalCup: 2.4e-4, UsOunce: 2.95735295625e-5,
    UsPint: 4.73176473e-4, UsQuart: 9.46352946e-4, UsTablespoon: 1.478676478125e-5, UsTeaspoon: 4.92892159375e-6,
  },
};

// Speeds: every length per second, minute and hour that Kusto names.
{
  const lengths: Record<string, number> = {
    Centimeter: 0.01, Decimeter: 0.1, Foot: 0.3048, Inch: 0.0254, Kilometer: 1000, Meter: 1, Micrometer: 1e-6, Millimeter: 1e-3, Nanometer: 1e-9,
    UsSurveyFoot: US_SURVEY_FOOT, Yard: 0.9144,
  };
  const per: Record<string, number> = { Second: 1, Minute: 60, Hour: 3600 };
  for (const [l, m] of Object.entries(lengths)) for (const [p, s] of Object.entries(per)) LINEAR.speed![`${l}Per${p}`] = m / s;
  LINEAR.speed!.Knot = 1852 / 3600;
  LINEAR.speed!.MilePerHour = 1609.344 / 3600;
}

/** Temperatures: [to kelvin, from kelvin] as SQL over x. */
const TEMPERATURE: Record<string, [(x: string) => string, (k: string) => string]> = {
  DegreeCelsius: [x => `(${x} + 273.15)`, k => `(${k} - 273.15)`],
  DegreeDelisle: [x => `(373.15 - ${x} * 2 / 3)`, k => `((373.15 - ${k}) * 3 / 2)`],
  DegreeFahrenheit: [x => `((${x} + 459.67) * 5 / 9)`, k => `(${k} * 9 / 5 - 459.67)`],
  DegreeNewton: [x => `(${x} * 100 / 33 + 273.15)`, k => `((${k} - 273.15) * 33 / 100)`],
  DegreeRankine: [x => `(${x} * 5 / 9)`, k => `(${k} * 9 / 5)`],
  DegreeReaumur: [x => `(${x} * 5 / 4 + 273.15)`, k => `((${k} - 273.15) * 4 / 5)`],
  DegreeRoemer: [x => `((${x} - 7.5) * 40 / 21 + 273.15)`, k => `((${k} - 273.15) * 21 / 40 + 7.5)`],
  Kelvin: [x => x, k => k],
  MillidegreeCelsius: [x => `(${x} / 1000 + 273.15)`, k => `((${k} - 273.15) * 1000)`],
  SolarTemperature: [x => `(${x} * 5778)`, k => `(${k} / 5778)`],
};

/** The unit of a table matching a name, case-insensitively. */
function unit<T>(table: Record<string, T>, name: string): T | undefined {
  if (name in table) return table[name];
  const key = Object.keys(table).find(k => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : table[key];
}

function linear(category: string): FunctionTable[string] {
  const table = LINEAR[category]!;
  return ([v, from, to], _call, ctx: SqlContext) => {
    // Built only when used: a template that returns null must not bind the value as a parameter.
    const value = () => `CAST(${v!.sql} AS DOUBLE)`;
    const f = constString(from);
    const t = constString(to);
    if (f !== undefined && t !== undefined) {
      const tiltFrom = category === 'angle' && f.toLowerCase() === 'tilt';
      const tiltTo = category === 'angle' && t.toLowerCase() === 'tilt';
      const ff = tiltFrom ? 1 : unit(table, f);
      const tf = tiltTo ? 1 : unit(table, t);
      if (ff === undefined || tf === undefined) return 'CAST(NULL AS DOUBLE)';
      if (!tiltFrom && !tiltTo) return `(${value()} * ${ctx.param(ff / tf, 'real')})`;
      // Angles also convert to and from Tilt, the sine of the angle.
      const degrees = tiltFrom ? `degrees(asin(${value()}))` : `(${value()} * ${ctx.param(ff, 'real')})`;
      return tiltTo ? `sin(radians(${degrees}))` : `(${degrees} / ${ctx.param(tf, 'real')})`;
    }
    const factor = (a: SqlArg) => `CASE lower(${toStringSql(a)}) ${Object.entries(table).map(([k, x]) => `WHEN '${k.toLowerCase()}' THEN CAST(${x} AS DOUBLE)`).join(' ')} END`;
    return `(${value()} * ${factor(from!)} / ${factor(to!)})`;
  };
}

export const UNIT_FUNCTIONS: FunctionTable = {
  convert_angle: linear('angle'),
  convert_energy: linear('energy'),
  convert_force: linear('force'),
  convert_length: linear('length'),
  convert_mass: linear('mass'),
  convert_speed: linear('speed'),
  convert_volume: linear('volume'),
  convert_temperature: ([v, from, to]) => {
    const value = () => `CAST(${v!.sql} AS DOUBLE)`;
    const f = constString(from);
    const t = constString(to);
    if (f !== undefined && t !== undefined) {
      const a = unit(TEMPERATURE, f);
      const b = unit(TEMPERATURE, t);
      return a && b ? b[1](a[0](value())) : 'CAST(NULL AS DOUBLE)';
    }
    const kelvin = `CASE lower(${toStringSql(from!)}) ${Object.entries(TEMPERATURE).map(([k, [toK]]) => `WHEN '${k.toLowerCase()}' THEN ${toK(value())}`).join(' ')} END`;
    return `CASE lower(${toStringSql(to!)}) ${Object.entries(TEMPERATURE).map(([k, [, fromK]]) => `WHEN '${k.toLowerCase()}' THEN ${fromK(kelvin)}`).join(' ')} END`;
  },
};
