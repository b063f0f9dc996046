/**
 * What an applicant is told, by email, when their dossier moves: a bilingual message (Vietnamese
 * first) built from the public timeline step of the action, so the email says exactly what the
 * timeline page says. Pure: the caller passes the action, the dossier and the link base.
 */
import { VIETNAM_UTC_OFFSET_MINUTES } from '../core/calendar.js';
import { STATUS_NAMES, type StatusCode } from '../core/dossier-machine.js';
import { buildTimeline, type StepKind, type TimelineAction, type TimelineDossier, type TimelineStep } from '../core/timeline.js';

/** Steps worth an email. Internal moves, the applicant's own supplement and transfers are not. */
export const NOTIFIED_KINDS: ReadonlySet<StepKind> = new Set<StepKind>([
  'submitted',
  'received',
  'refused',
  'supplement_requested',
  'payment_requested',
  'paid',
  'apology',
  'appointment_changed',
  'result_ready',
  'returned',
  'stopped',
  'withdrawn',
]);

const WHAT_TO_DO: Partial<Record<StepKind, { vi: string; en: string }>> = {
  submitted: {
    vi: 'Bộ phận Một cửa sẽ kiểm tra và tiếp nhận hồ sơ; bạn sẽ nhận được thư khi hồ sơ được tiếp nhận.',
    en: 'The one-stop desk will check and receive the dossier; you will get an email when it is received.',
  },
  received: {
    vi: 'Hồ sơ đang được giải quyết. Vui lòng nhận kết quả đúng ngày hẹn, theo hình thức đã đăng ký.',
    en: 'The dossier is being processed. Please collect the result on the appointment date, as registered.',
  },
  supplement_requested: {
    vi: 'Vui lòng bổ sung đầy đủ các giấy tờ nêu trên (trực tuyến hoặc tại Bộ phận Một cửa). Thời gian chờ bổ sung không tính vào thời hạn giải quyết.',
    en: 'Please provide everything listed above (online or at the one-stop desk). The time spent waiting for it does not count against the time limit.',
  },
  payment_requested: {
    vi: 'Vui lòng nộp phí, lệ phí (trực tuyến hoặc tại Bộ phận Một cửa) để hồ sơ được tiếp tục giải quyết.',
    en: 'Please pay the fee (online or at the one-stop desk) so that processing can continue.',
  },
  apology: {
    vi: 'Chúng tôi thành thật xin lỗi vì sự chậm trễ này.',
    en: 'We sincerely apologise for the delay.',
  },
  result_ready: {
    vi: 'Kết quả đã sẵn sàng; vui lòng nhận kết quả theo hình thức đã đăng ký.',
    en: 'The result is ready; please collect it as you registered.',
  },
  refused: {
    vi: 'Vui lòng xem lý do nêu trên; liên hệ Bộ phận Một cửa nếu cần được hướng dẫn.',
    en: 'Please see the reason above; contact the one-stop desk if you need guidance.',
  },
  stopped: {
    vi: 'Vui lòng xem lý do nêu trên; liên hệ Bộ phận Một cửa nếu cần được hướng dẫn.',
    en: 'Please see the reason above; contact the one-stop desk if you need guidance.',
  },
};

/** "09:00 ngày 02/03/2026" (Vietnam time). */
export function vnDateTime(d: Date): string {
  const l = new Date(d.getTime() + VIETNAM_UTC_OFFSET_MINUTES * 60_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(l.getUTCHours())}:${p(l.getUTCMinutes())} ngày ${p(l.getUTCDate())}/${p(l.getUTCMonth() + 1)}/${l.getUTCFullYear()}`;
}

/** "09:00, 02/03/2026 (Vietnam time)". */
function enDateTime(d: Date): string {
  const [time, , date] = vnDateTime(d).split(' ');
  return `${time}, ${date} (Vietnam time)`;
}

const money = (n: number) => `${n.toLocaleString('vi-VN')} đồng`;

export interface NotificationInput {
  action: TimelineAction;
  dossier: TimelineDossier & { code: string; applicantName: string; channel: number };
  procedureName: string;
  publicUrl: string;
}

export interface ComposedMessage {
  subject: string;
  text: string;
  step: TimelineStep;
}

/** The step this action shows on the public timeline, when it is one an applicant is emailed about. */
export function notifiableStep(input: Pick<NotificationInput, 'action' | 'dossier'>): TimelineStep | null {
  // The action alone, against a closed dossier stub (no upcoming-appointment row).
  const steps = buildTimeline({ ...input.dossier, statusCode: 10 }, [input.action]).filter((s) => !s.upcoming);
  const step = steps[0];
  if (!step || !NOTIFIED_KINDS.has(step.kind)) return null;
  // A walk-in dossier is submitted and received at once: the receipt email says it all.
  if (step.kind === 'submitted' && input.dossier.channel !== 2) return null;
  return step;
}

export function composeNotification(input: NotificationInput): ComposedMessage | null {
  const step = notifiableStep(input);
  if (!step) return null;
  const { dossier: d, procedureName } = input;
  const link = `${input.publicUrl.replace(/\/$/, '')}/tra-cuu?ma=${encodeURIComponent(d.code)}`;
  const status = STATUS_NAMES[(step.statusCode ?? d.statusCode) as StatusCode];
  const vi: string[] = [];
  const en: string[] = [];

  vi.push(`Kính gửi ${d.applicantName},`, '');
  vi.push(`Hồ sơ ${d.code} – ${procedureName}`);
  vi.push(`${step.label.vi} lúc ${vnDateTime(step.at)}.`);
  vi.push(`Trạng thái hiện tại: ${status.vi}.`);
  en.push(`Dear ${d.applicantName},`, '');
  en.push(`Dossier ${d.code} – ${procedureName}`);
  en.push(`${step.label.en} at ${enDateTime(step.at)}.`);
  en.push(`Current status: ${status.en}.`);

  if (step.reason) {
    vi.push(`Lý do: ${step.reason}`);
    en.push(`Reason (as written by the office): ${step.reason}`);
  }
  if (step.missing?.length) {
    vi.push('', 'Giấy tờ, thông tin cần bổ sung:');
    en.push('', 'Documents or information to provide:');
    step.missing.forEach((m, i) => {
      vi.push(`  ${i + 1}. ${m}`);
      en.push(`  ${i + 1}. ${m}`);
    });
  }
  if (step.amount !== null) {
    vi.push(`Số tiền phải nộp: ${money(step.amount)}.`);
    en.push(`Amount due: ${step.amount.toLocaleString('en-US')} VND.`);
  }
  const appointment = step.appointmentAt ?? (step.kind === 'received' ? d.appointmentAt : null);
  if (appointment) {
    vi.push(`${step.kind === 'apology' || step.kind === 'appointment_changed' ? 'Ngày hẹn trả kết quả mới' : 'Ngày hẹn trả kết quả'}: ${vnDateTime(appointment)}.`);
    en.push(`${step.kind === 'apology' || step.kind === 'appointment_changed' ? 'New appointment for the result' : 'Appointment for the result'}: ${enDateTime(appointment)}.`);
  }
  if (step.returnMethodLabel) {
    vi.push(`Hình thức trả kết quả: ${step.returnMethodLabel.vi}${step.trackingNumber ? ` (mã vận đơn ${step.trackingNumber})` : ''}.`);
    en.push(`Returned: ${step.returnMethodLabel.en}${step.trackingNumber ? ` (tracking number ${step.trackingNumber})` : ''}.`);
  }
  const todo = WHAT_TO_DO[step.kind];
  if (todo) {
    vi.push('', todo.vi);
    en.push('', todo.en);
  }
  vi.push('', `Theo dõi hồ sơ: ${link}`, '', 'Đây là thư tự động, vui lòng không trả lời thư này.');
  en.push('', `Follow the dossier: ${link}`, '', 'This is an automatic message; please do not reply.');

  const subject = `[Một cửa] Hồ sơ ${d.code}: ${step.label.vi} / ${step.label.en}`;
  const text = [...vi, '', '----------------------------------------', '(English)', '', ...en, ''].join('\n');
  return { subject, text, step };
}
