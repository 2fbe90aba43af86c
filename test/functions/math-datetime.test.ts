import { describe, expect, it } from 'vitest';
import { useEngine } from './helpers.js';

const { row, rows } = useEngine();

const close = (a: unknown, b: number) => Math.abs((a as number) - b) <= 1e-12 * Math.max(1, Math.abs(b));

describe('math functions', () => {
  it('special functions', async () => {
    const [erf, erfc3, erfm, gamma, cdf, pdf, inv, loggamma] = await row('print erf(0.5), erfc(3), erf(-2), gamma(5), beta_cdf(0.9, 10, 20), beta_pdf(0.5, 10, 20), beta_inv(0.1, 10, 20), loggamma(0.5)');
    expect(close(erf, 0.5204998778130465)).toBe(true);
    expect(close(erfc3, 2.209049699858544e-5)).toBe(true);
    expect(close(erfm, -0.9953222650189527)).toBe(true);
    expect(gamma).toBe(24);
    expect(close(cdf, 0.999999999999959)).toBe(true);
    expect(close(pdf, 0.746176019310951)).toBe(true);
    expect(close(inv, 0.226415022388749)).toBe(true);
    expect(close(loggamma, 0.5723649429247001)).toBe(true);
  });
  it('domain errors give null', async () => {
    expect(await row('print log(-1), sqrt(-4), acos(2), log10(0), beta_cdf(1.5, 10, 20), beta_inv(1.5, 10, 20)'))
      .toEqual([null, null, null, -Infinity, NaN, null]);
  });
  it('bit operations wrap like 64-bit integers', async () => {
    expect(await row('print binary_and(6, 3), binary_or(6, 3), binary_xor(1, 2), binary_not(100), binary_shift_left(1, 63), binary_shift_left(1, 64), binary_shift_right(-8, 1), bitset_count_ones(42)'))
      .toEqual([2n, 7n, 3n, -101n, -9223372036854775808n, 1n, -4n, 3n]);
  });
  it('round, max_of, min_of', async () => {
    expect(await row('print round(2.15, 1), round(-50.55, -2), round(21.5, -1), max_of(1, int(null), 3), min_of(int(null), int(null))'))
      .toEqual([2.2, -100, 20, 3n, null]);
  });
});

describe('datetime functions', () => {
  it('datetime_diff counts boundaries (weeks start on Sunday)', async () => {
    expect(await row("print datetime_diff('year',datetime(2017-01-01),datetime(2000-12-31)), datetime_diff('quarter',datetime(2017-07-01),datetime(2017-03-30)), datetime_diff('month',datetime(2017-01-01),datetime(2015-12-30)), datetime_diff('week',datetime(2017-10-29 00:00),datetime(2017-09-30 23:59)), datetime_diff('day',datetime(2017-10-29 00:00),datetime(2017-09-30 23:59)), datetime_diff('hour',datetime(2017-10-31 01:00),datetime(2017-10-30 23:59)), datetime_diff('second',datetime(2017-10-30 23:00:10.100),datetime(2017-10-30 23:00:00.900)), datetime_diff('millisecond',datetime(2017-10-30 23:00:00.200100),datetime(2017-10-30 23:00:00.100900))"))
      .toEqual([17n, 2n, 13n, 5n, 29n, 2n, 10n, 100n]);
  });
  it('datetime_part and datetime_add', async () => {
    expect(await row('let dt = datetime(2017-10-30 01:02:03.7654321); print datetime_part("year", dt), datetime_part("quarter", dt), datetime_part("week_of_year", dt), datetime_part("dayOfYear", dt), datetime_part("second", dt), datetime_part("millisecond", dt), datetime_part("microsecond", dt), datetime_add("quarter", 12, make_datetime(2017,1,1)), datetime_add("week", 100, make_datetime(2017,1,1)), datetime_add("month", 1, datetime(2017-01-31))'))
      .toEqual([2017, 4, 44, 303, 3, 765, 765432, '2020-01-01T00:00:00.0000000Z', '2018-12-02T00:00:00.0000000Z', '2017-02-28T00:00:00.0000000Z']);
  });
  it('format_datetime and format_timespan', async () => {
    expect(await row("let dt = datetime(2017-01-29 09:00:05.1234); let t = time(29.09:00:05.12345); print format_datetime(dt,'yy-MM-dd [HH:mm:ss]'), format_datetime(dt, 'yyyy-M-dd [H:mm:ss]'), format_datetime(dt, 'yy-MM-dd [hh:mm:ss tt]'), format_datetime(dt, 'ss.fff FFFFFFF'), format_timespan(t, 'dd.hh:mm:ss:FF'), format_timespan(t, 'ddd.h:mm:ss [fffffff]')"))
      .toEqual(['17-01-29 [09:00:05]', '2017-1-29 [9:00:05]', '17-01-29 [09:00:05 AM]', '05.123 1234', '29.09:00:05:12', '029.9:00:05 [1234500]']);
  });
  it('todatetime reads the Kusto datetime formats', async () => {
    expect(await row("print todatetime('12-02-2022'), todatetime('Sat, 8 Nov 14 15:05:02 GMT'), todatetime('Saturday, 08-Nov-14 15:05'), todatetime('2014-11-8 15:05'), todatetime('2015-12-31T23:59:59+01:00'), todatetime('nope')"))
      .toEqual(['2022-12-02T00:00:00.0000000Z', '2014-11-08T15:05:02.0000000Z', '2014-11-08T15:05:00.0000000Z', '2014-11-08T15:05:00.0000000Z', '2015-12-31T22:59:59.0000000Z', null]);
  });
  it('time zones, including skipped local times', async () => {
    expect(await rows("range Local from datetime(2022-03-27 01:00) to datetime(2022-03-27 03:00) step 1h | project datetime_local_to_utc(Local, 'Europe/Brussels'), datetime_utc_to_local(datetime(2022-07-01 12:00), 'US/Pacific'), datetime_local_to_utc(Local, 'Nowhere/City')"))
      .toEqual([
        ['2022-03-27T00:00:00.0000000Z', '2022-07-01T05:00:00.0000000Z', null],
        ['2022-03-27T00:00:00.0000000Z', '2022-07-01T05:00:00.0000000Z', null],
        ['2022-03-27T01:00:00.0000000Z', '2022-07-01T05:00:00.0000000Z', null],
      ]);
  });
  it('bin_auto bins by the size and fixed point of the set statements', async () => {
    expect(await rows('set query_bin_auto_size=5; set query_bin_auto_at=2; range x from 0 to 9 step 3 | project b = bin_auto(x)')).toEqual([[-3n], [2n], [2n], [7n]]);
    expect(await rows('set query_bin_auto_size=1h; datatable(t:datetime)[datetime(2017-01-01 00:05), datetime(2017-01-01 01:59)] | summarize count() by bin_auto(t) | order by t asc'))
      .toEqual([['2017-01-01T00:00:00.0000000Z', 1n], ['2017-01-01T01:00:00.0000000Z', 1n]]);
    await expect(rows('print bin_auto(3)')).rejects.toThrow(/query_bin_auto_size/);
  });
  it('range() is capped and steps hourly for times', async () => {
    expect(await row('print range(1h, 3h), array_length(range(1, 1000000000)), range(5, 1, -2), range(1, 0, 2)')).toEqual([['01:00:00', '02:00:00', '03:00:00'], 1048576n, [5, 3, 1], []]);
  });
});

describe('null semantics of == and !=', () => {
  it('null == value is false, null != value is true, null == null is null', async () => {
    expect(await rows('datatable(v: int)[5, int(null)] | project v == int(null), v != int(null), v == 5, v != 5, v == v'))
      .toEqual([[false, true, true, false, true], [null, null, false, true, null]]);
  });
});
