/**
 * Ratings and complaints (phản ánh, kiến nghị) as pure rules: the satisfaction levels, the
 * 15-working-day limit for handling a complaint, and whether it was handled in time.
 * Both feed index group 6 (domain.md §5): "complaints handled on time within 15 working days" and
 * "satisfaction with procedures = 100% − (% late + % with a complaint or a 'dislike')".
 */
import { computeDueAt, type CalendarConfig } from './calendar.js';
import { classifyStep } from './timeliness.js';

/**
 * Three levels, the scale the national portal's index uses: a "dislike" (không hài lòng) counts
 * against satisfaction in group 6, the other two do not. domain.md §5 names only the "dislike",
 * so the two positive levels follow the national portal's usual wording.
 */
export const SATISFACTION_LEVELS = ['very_satisfied', 'satisfied', 'dissatisfied'] as const;
export type SatisfactionLevel = (typeof SATISFACTION_LEVELS)[number];
export const SATISFACTION_NAMES: Record<SatisfactionLevel, { vi: string; en: string }> = {
  very_satisfied: { vi: 'Rất hài lòng', en: 'Very satisfied' },
  satisfied: { vi: 'Hài lòng', en: 'Satisfied' },
  dissatisfied: { vi: 'Không hài lòng', en: 'Dissatisfied' },
};
/** Counts against "satisfaction with procedures" in index group 6. */
export const isDislike = (level: SatisfactionLevel) => level === 'dissatisfied';

export const MAX_RATING_COMMENT = 1000;
export const MAX_COMPLAINT_CONTENT = 4000;

export const COMPLAINT_CATEGORIES = ['phan_anh', 'kien_nghi'] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];
export const COMPLAINT_CATEGORY_NAMES: Record<ComplaintCategory, { vi: string; en: string }> = {
  phan_anh: { vi: 'Phản ánh', en: 'Feedback (report)' },
  kien_nghi: { vi: 'Kiến nghị', en: 'Recommendation' },
};

export const COMPLAINT_STATUSES = ['received', 'processing', 'answered'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];
export const COMPLAINT_STATUS_NAMES: Record<ComplaintStatus, { vi: string; en: string }> = {
  received: { vi: 'Đã tiếp nhận', en: 'Received' },
  processing: { vi: 'Đang xử lý', en: 'Being handled' },
  answered: { vi: 'Đã trả lời', en: 'Answered' },
};

/** A complaint must be handled within 15 working days of its receipt (domain.md §5 group 6). */
export const COMPLAINT_LIMIT_WORKING_DAYS = 15;

/** The instant the answer is due: 15 working days of the unit's working calendar after receipt. */
export function complaintDueAt(cal: CalendarConfig, receivedAt: Date): Date {
  return computeDueAt(cal, receivedAt, 'working_days', COMPLAINT_LIMIT_WORKING_DAYS)!;
}

/**
 * Answered on the due date or before → on time (compared as local dates, like dossiers: the due
 * date is a day promised); after it → late. Not yet answered → 'overdue' once `now` is past the
 * due instant, else 'pending'.
 */
export function complaintTimeliness(
  input: { dueAt: Date; answeredAt: Date | null; now: Date },
  utcOffsetMinutes: number,
): 'on_time' | 'late' | 'pending' | 'overdue' {
  if (input.answeredAt) return classifyStep(input.answeredAt, input.dueAt, utcOffsetMinutes) === 'late' ? 'late' : 'on_time';
  return input.now.getTime() > input.dueAt.getTime() ? 'overdue' : 'pending';
}

/** Complaint code: PAKN-{unit}-{yyMMdd}-{sequence, at least 4 digits}, like dossier codes. */
export function formatComplaintCode(unitCode: string, localDate: string, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError('sequence must be a positive integer');
  const yymmdd = localDate.slice(2, 4) + localDate.slice(5, 7) + localDate.slice(8, 10);
  return `PAKN-${unitCode}-${yymmdd}-${String(sequence).padStart(4, '0')}`;
}

export const COMPLAINT_CODE_PATTERN = /^PAKN-[A-Z0-9.]+-\d{6}-\d{4,}$/;
