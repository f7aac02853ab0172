import { linearRegExp } from './linear-regexp.js';

/**
 * The `format`s a tenant schema asserts. ajv ships none (ajv-formats is not installed) and, with
 * strict off, ignored every format; these few are checked, on RE2 and charged to the same work
 * budget as patterns. Any other format stays an annotation (the 2020-12 default) and costs nothing.
 */
const date = linearRegExp('^(\\d{4})-(\\d{2})-(\\d{2})$');
const time = linearRegExp('^([01]\\d|2[0-3]):[0-5]\\d:([0-5]\\d|60)(\\.\\d{1,9})?([zZ]|[+-]([01]\\d|2[0-3]):[0-5]\\d)$');
const email = linearRegExp("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$");
const hostname = linearRegExp('^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?$');
const ipv4 = linearRegExp('^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$');
const uuid = linearRegExp('^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$');
const uri = linearRegExp('^[A-Za-z][A-Za-z0-9+.-]*:[^\\s]*$');

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isDate(s: string): boolean {
  if (!date.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  if (m < 1 || m > 12 || d < 1 || d > (DAYS[m - 1] ?? 0)) return false;
  return m !== 2 || d < 29 || (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0));
}

function isDateTime(s: string): boolean {
  const t = s.search(/[Tt ]/);
  return t === 10 && isDate(s.slice(0, 10)) && time.test(s.slice(11));
}

const stringFormat = (validate: (s: string) => boolean) => ({ type: 'string' as const, validate });

/** Format definitions for ajv's `formats` option. */
export const SCHEMA_FORMATS = {
  date: stringFormat(isDate),
  time: stringFormat((s) => time.test(s)),
  'date-time': stringFormat(isDateTime),
  email: stringFormat((s) => s.length <= 254 && email.test(s)),
  hostname: stringFormat((s) => s.length <= 253 && hostname.test(s)),
  ipv4: stringFormat((s) => ipv4.test(s)),
  uuid: stringFormat((s) => uuid.test(s)),
  uri: stringFormat((s) => uri.test(s)),
};
