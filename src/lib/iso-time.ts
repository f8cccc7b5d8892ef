// ISO-8601 date-times with a zone, in the shape the webhook and admin contracts have always taken:
// `YYYY-MM-DDTHH:MM`, optional seconds and fraction, then `Z` or an offset `±HH:MM` / `±HHMM`, on a
// day the calendar has. (zod 4's `z.iso.datetime` also requires the seconds and the colon.)
const SHAPE =
  /^(\d{4})-(\d{2})-(\d{2})T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function isIsoDateTime(text: string): boolean {
  const m = SHAPE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= (month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!);
}
