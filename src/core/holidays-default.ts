/**
 * Default public-holiday table for 2025–2026.
 *
 * Every entry is `verified: false`: the dates follow the national schedule as
 * known when this table was written, but each province must check them against
 * the official announcements (and any later swaps) before relying on them.
 *
 * kind 'day_off'     – no work even though it is a weekday.
 * kind 'working_day' – a normally non-working day (a Saturday) that is worked
 *                      in exchange for a bridge day off ("làm bù").
 */
export interface DefaultHoliday {
  date: string;
  kind: 'day_off' | 'working_day';
  name: string;
  nameEn: string;
  verified: boolean;
}

const off = (date: string, name: string, nameEn: string): DefaultHoliday =>
  Object.freeze({ date, kind: 'day_off', name, nameEn, verified: false });

const work = (date: string, name: string, nameEn: string): DefaultHoliday =>
  Object.freeze({ date, kind: 'working_day', name, nameEn, verified: false });

const TET_DL = ['Tết Dương lịch', "New Year's Day"] as const;
const TET_NGUYEN_DAN = ['Tết Nguyên đán', 'Lunar New Year (Tết)'] as const;
const GIO_TO = ['Giỗ Tổ Hùng Vương', 'Hung Kings Commemoration Day'] as const;
const GIAI_PHONG = ['Ngày Giải phóng miền Nam, thống nhất đất nước', 'Reunification Day'] as const;
const LAO_DONG = ['Ngày Quốc tế Lao động', 'International Labour Day'] as const;
const QUOC_KHANH = ['Quốc khánh', 'National Day'] as const;

export const DEFAULT_HOLIDAYS: readonly DefaultHoliday[] = Object.freeze([
  // ---- 2025 ----
  off('2025-01-01', ...TET_DL),
  off('2025-01-27', ...TET_NGUYEN_DAN),
  off('2025-01-28', ...TET_NGUYEN_DAN),
  off('2025-01-29', ...TET_NGUYEN_DAN),
  off('2025-01-30', ...TET_NGUYEN_DAN),
  off('2025-01-31', ...TET_NGUYEN_DAN),
  off('2025-04-07', ...GIO_TO),
  // Saturday 26 Apr 2025 is worked in exchange for Friday 2 May 2025.
  work('2025-04-26', 'Ngày làm việc bù (hoán đổi cho ngày 02/05/2025)', 'Swapped working day (for 2 May 2025)'),
  off('2025-04-30', ...GIAI_PHONG),
  off('2025-05-01', ...LAO_DONG),
  off('2025-05-02', 'Ngày nghỉ bù (hoán đổi với thứ Bảy 26/04/2025)', 'Bridge day off (swapped with Sat 26 Apr 2025)'),
  off('2025-09-01', ...QUOC_KHANH),
  off('2025-09-02', ...QUOC_KHANH),
  // ---- 2026 ----
  off('2026-01-01', ...TET_DL),
  off('2026-02-16', ...TET_NGUYEN_DAN),
  off('2026-02-17', ...TET_NGUYEN_DAN),
  off('2026-02-18', ...TET_NGUYEN_DAN),
  off('2026-02-19', ...TET_NGUYEN_DAN),
  off('2026-02-20', ...TET_NGUYEN_DAN),
  off('2026-04-27', 'Giỗ Tổ Hùng Vương (nghỉ bù)', 'Hung Kings Commemoration Day (observed)'),
  off('2026-04-30', ...GIAI_PHONG),
  off('2026-05-01', ...LAO_DONG),
  off('2026-09-01', ...QUOC_KHANH),
  off('2026-09-02', ...QUOC_KHANH),
]);
