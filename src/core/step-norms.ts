/**
 * Per-step time norms of a procedure's internal process (quy trình nội bộ): how long each step
 * (desk → specialist → leader → … → return) may take, so that every hand-over can be judged early,
 * on time or late on the process control sheet (Circular 03/2025 form 6), not only the dossier as
 * a whole.
 *
 * A procedure may configure a step's norm in working hours (`stepNorms`, e.g. {"specialist": 16});
 * the provinces' internal processes are written that way. A step without a configured norm gets a
 * share of the dossier's legal time limit by weight: the desk 1, a leader 2, any other processing
 * step (specialist, appraisal, …) 6. The 'return' step has no norm of its own: the result is due
 * to the applicant at the appointment, so that is its due instant.
 *
 * A step is never due after the dossier's appointment: once the appointment has passed, every
 * step still open is late.
 */
import { addWorkingTime, computeDueAt, workingTimeBetween, type CalendarConfig, type TimeLimitKind } from './calendar.js';

/** Configured norms: step name → working hours (> 0). */
export type StepNorms = Readonly<Record<string, number>>;

export const RETURN_STEP = 'return';
const HOUR_MS = 3_600_000;
/** A year of working days: anything longer is a typing mistake. */
export const MAX_NORM_HOURS = 8 * 365;

/** Default weights of a step's share of the time limit when no norm is configured. */
export const DEFAULT_STEP_WEIGHTS: Readonly<Record<string, number>> = { desk: 1, leader: 2 };
export const DEFAULT_OTHER_STEP_WEIGHT = 6;

const weightOf = (step: string) => DEFAULT_STEP_WEIGHTS[step] ?? DEFAULT_OTHER_STEP_WEIGHT;

/** Problems with a configured set of norms for these steps, in English and Vietnamese (empty when valid). */
export function validateStepNorms(steps: readonly string[], norms: unknown): Array<{ en: string; vi: string }> {
  if (norms === undefined || norms === null) return [];
  if (typeof norms !== 'object' || Array.isArray(norms)) {
    return [{ en: 'must be an object of step → working hours', vi: 'phải là danh sách bước → số giờ làm việc' }];
  }
  const problems: Array<{ en: string; vi: string }> = [];
  for (const [step, hours] of Object.entries(norms as Record<string, unknown>)) {
    if (!steps.includes(step)) {
      problems.push({ en: `"${step}" is not one of the steps (${steps.join(', ')})`, vi: `"${step}" không phải là một bước của quy trình (${steps.join(', ')})` });
    } else if (step === RETURN_STEP) {
      problems.push({ en: `"${RETURN_STEP}" has no norm: the result is due at the appointment`, vi: `bước "${RETURN_STEP}" không có định mức riêng: kết quả trả theo ngày hẹn` });
    } else if (typeof hours !== 'number' || !Number.isFinite(hours) || hours <= 0 || hours > MAX_NORM_HOURS) {
      problems.push({
        en: `"${step}" must be a positive number of working hours (at most ${MAX_NORM_HOURS})`,
        vi: `định mức của bước "${step}" phải là số giờ làm việc lớn hơn 0 (tối đa ${MAX_NORM_HOURS})`,
      });
    }
  }
  return problems;
}

/**
 * The norm of `step` in working milliseconds, or null when it has none (the return step, an
 * unknown step, or a procedure without a time limit and no configured norm).
 * `limitWorkingMs` is the working time the legal limit allows from receipt.
 */
export function stepNormMs(steps: readonly string[], step: string, limitWorkingMs: number | null, norms?: StepNorms | null): number | null {
  if (step === RETURN_STEP || !steps.includes(step)) return null;
  const configured = norms?.[step];
  if (typeof configured === 'number' && configured > 0) return Math.round(configured * HOUR_MS);
  if (limitWorkingMs === null || limitWorkingMs <= 0) return null;
  const processing = steps.filter((s) => s !== RETURN_STEP);
  const total = processing.reduce((sum, s) => sum + weightOf(s), 0);
  return Math.round((limitWorkingMs * weightOf(step)) / total);
}

/** Working time the legal limit allows from receipt (before any supplement pause), or null without a limit. */
export function limitWorkingMs(cal: CalendarConfig, receivedAt: Date | null, kind: TimeLimitKind, value: number): number | null {
  if (!receivedAt) return null;
  const due = computeDueAt(cal, receivedAt, kind, value);
  return due ? workingTimeBetween(cal, receivedAt, due) : null;
}

/**
 * When a step entered at `at` is due: `at` + the step's norm in working time, but never after the
 * appointment; the return step (or a step without a norm) is due at the appointment.
 */
export function stepDueAt(
  cal: CalendarConfig,
  input: {
    steps: readonly string[];
    stepNorms: StepNorms | null;
    receivedAt: Date | null;
    limitKind: TimeLimitKind;
    limitValue: number;
    appointmentAt: Date | null;
  },
  step: string,
  at: Date,
): Date | null {
  if (!input.receivedAt) return null;
  const norm = stepNormMs(input.steps, step, limitWorkingMs(cal, input.receivedAt, input.limitKind, input.limitValue), input.stepNorms);
  if (norm === null) return input.appointmentAt;
  const due = addWorkingTime(cal, at, norm);
  return input.appointmentAt && input.appointmentAt.getTime() < due.getTime() ? input.appointmentAt : due;
}
