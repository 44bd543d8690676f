/** ISO 8601 in UTC to the second (`2026-11-23T20:14:15Z`), as the REST models give times. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
