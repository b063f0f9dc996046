/** Time helpers for tests of the calendar and the lifecycle: local Vietnam time in, readable local time out. */
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Instant from a local Vietnam time, e.g. vn('2026-03-02T09:00'). */
export const vn = (local: string): Date => new Date(`${local}+07:00`);

/** Local Vietnam rendering 'YYYY-MM-DDTHH:MM' (seconds appended only when non-zero) for readable asserts. */
export function fmt(d: Date | null): string | null {
  if (d === null) return null;
  const s = new Date(d.getTime() + 7 * HOUR).toISOString();
  return s.endsWith(':00.000Z') ? s.slice(0, 16) : s.slice(0, 23);
}
