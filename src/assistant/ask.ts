/**
 * The virtual assistant's use case (issue 6): a question in, an answer built from facts out, with
 * the procedures and dossiers it used and the links to act on them.
 *
 * - About a procedure: retrieval over the catalog (retrieve.ts) finds it; the answer is a template
 *   filled with its catalog data (answer.ts): documents, fee for the applicant's pages and copies,
 *   time limit and the appointment it would give now by the working calendar, where to submit,
 *   online or not. Nothing is stated that the catalog does not hold.
 * - About a dossier: only with its code and the applicant's matching phone or ID number (the same
 *   rate-limited, constant-work lookup as /api/lookup), or to its owner or to staff who may see it.
 * - For officials: their dossiers due today or overdue (their own work queues, so their own scope)
 *   and how their unit stands on an indicator (the heatmap, so the monitoring scope).
 * - Otherwise an FAQ entry, or a clear "I don't know" with the contacts and the search link.
 * Answers are in Vietnamese, or English when the question is. An optional model may rephrase the
 * facts (llm.ts); the structured citations never pass through it.
 */
import { procedureFacts, readQuestion, type IndicatorKey, type QuestionReading } from '../core/assistant-intent.js';
import { getProcedure } from '../catalog/procedures.js';
import { isStaff, type Actor } from '../identity/actor.js';
import { LookupRateLimited, lookupDossier } from '../dossiers/lookup.js';
import { workQueue } from '../dossiers/queries.js';
import { getTimeline, type TimelineView } from '../dossiers/timeline.js';
import { heatmap } from '../monitoring/heatmap.js';
import { MONITORING_ROLES } from '../monitoring/scope.js';
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { rateLimit, type RateRule } from '../platform/rate-limit.js';
import { localDateTime, procedureAnswer, type AnswerAction, type Lang, type ProcedureFactsView } from './answer.js';
import { rephrase } from './llm.js';
import { retrieveFaq, retrieveProcedures } from './retrieve.js';

export interface AskInput {
  question: string;
  dossierCode?: string;
  phone?: string;
  lang?: Lang;
}

export type AnswerKind =
  | 'procedure'
  | 'dossier'
  | 'dossier_needs_verification'
  | 'dossier_not_found'
  | 'staff_due_today'
  | 'staff_overdue'
  | 'staff_indicator'
  | 'faq'
  | 'greeting'
  | 'no_match';

export interface AskAnswer {
  answer: string;
  procedures: Array<{ code: string; name: string; score: number }>;
  actions: AnswerAction[];
  dossiers: Array<{ code: string; href: string }>;
  kind: AnswerKind;
  lang: Lang;
  /** True when the wording came from the optional model (the facts and links did not). */
  rephrased: boolean;
}

/** Per client address: generous for a conversation, tight enough against scraping. */
export const ASK_LIMIT: RateRule = { limit: 60, windowSeconds: 60 };

const STAFF_QUEUE_PAGE = 10;

function answerOf(kind: AnswerKind, lang: Lang, answer: string, extra: Partial<AskAnswer> = {}): AskAnswer {
  return { answer, procedures: [], actions: [], dossiers: [], kind, lang, rephrased: false, ...extra };
}

/** The "I don't know" answer: contacts and the catalog search. */
function noMatch(ctx: AppContext, lang: Lang, question: string): AskAnswer {
  const contact = ctx.config.assistant.contact;
  const q = encodeURIComponent(question.slice(0, 100));
  const text =
    lang === 'vi'
      ? [
          'Xin lỗi, tôi chưa tìm thấy thủ tục hoặc thông tin phù hợp với câu hỏi này trong cơ sở dữ liệu thủ tục hành chính của tỉnh, nên không thể trả lời chính xác.',
          'Bạn có thể tìm trong danh mục thủ tục, hoặc hỏi trực tiếp bộ phận một cửa của xã, phường hay Trung tâm phục vụ hành chính công tỉnh.',
          ...(contact ? [`Liên hệ: ${contact}`] : []),
        ]
      : [
          "Sorry, I could not find a procedure or an answer matching this question in the province's catalog, so I cannot answer it reliably.",
          "You can search the catalog, or ask the ward's or commune's one-stop desk or the provincial public administrative service centre.",
          ...(contact ? [`Contact: ${contact}`] : []),
        ];
  return answerOf('no_match', lang, text.join('\n'), {
    actions: [{ label: lang === 'vi' ? 'Tìm thủ tục' : 'Search procedures', href: `/tim-kiem?q=${q}` }],
  });
}

function timelineAnswer(t: TimelineView, lang: Lang, link: string, cal: Parameters<typeof localDateTime>[0]): AskAnswer {
  const lines = [
    lang === 'vi' ? `Hồ sơ ${t.code} — ${t.procedure.name}` : `Dossier ${t.code} — ${t.procedure.nameEn ?? t.procedure.name}`,
    lang === 'vi' ? `Trạng thái: ${t.status.vi}` : `Status: ${t.status.en}`,
  ];
  if (t.appointmentAt) {
    const at = localDateTime(cal, new Date(t.appointmentAt), lang);
    lines.push(lang === 'vi' ? `Ngày hẹn trả kết quả: ${at}` : `Result due: ${at}`);
  }
  lines.push(lang === 'vi' ? `Tiến độ: ${t.timeliness.vi}` : `Progress: ${t.timeliness.en}`);
  if (t.missing) {
    lines.push(lang === 'vi' ? `Cần bổ sung (yêu cầu ngày ${t.missing.requestedAt.slice(0, 10)}): ${t.missing.reason}` : `To supplement (asked ${t.missing.requestedAt.slice(0, 10)}): ${t.missing.reason}`);
    for (const m of t.missing.items) lines.push(`• ${m}`);
  }
  return answerOf('dossier', lang, lines.join('\n'), {
    dossiers: [{ code: t.code, href: link }],
    procedures: [{ code: t.procedure.code, name: t.procedure.name, score: 1 }],
    actions: [{ label: lang === 'vi' ? 'Xem hồ sơ' : 'Open the dossier', href: link }],
  });
}

async function dossierAnswer(ctx: AppContext, actor: Actor | null, r: QuestionReading, input: AskInput, lang: Lang, client: string): Promise<AskAnswer> {
  const code = (input.dossierCode ?? r.dossierCode ?? '').trim().toUpperCase();
  const cal = await ctx.calendars.forUnit('H15');
  const needs = () =>
    answerOf(
      'dossier_needs_verification',
      lang,
      lang === 'vi'
        ? 'Để xem tình trạng hồ sơ, vui lòng cho biết mã hồ sơ (in trên giấy tiếp nhận) và số điện thoại hoặc số CCCD đã khai khi nộp. Tôi chỉ trả lời khi hai thông tin này khớp nhau.'
        : 'To see a dossier, give its code (printed on the receipt) and the phone number or ID number given when it was submitted. I only answer when both match.',
      { actions: [{ label: lang === 'vi' ? 'Tra cứu hồ sơ' : 'Look up a dossier', href: '/tra-cuu' }] },
    );
  if (!code) return needs();
  // The owner, or staff whose jurisdiction holds the dossier, see it without more proof.
  if (actor) {
    try {
      const t = await getTimeline(ctx, actor, code);
      const link = isStaff(actor) ? `/can-bo/ho-so/${encodeURIComponent(t.code)}` : `/ho-so/${encodeURIComponent(t.code)}`;
      return timelineAnswer(t, lang, link, cal);
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 404) throw err;
    }
  }
  if (!input.phone) return needs();
  try {
    const t = await lookupDossier(ctx, { code, phoneOrIdNumber: input.phone }, client);
    return timelineAnswer(t, lang, `/tra-cuu?code=${encodeURIComponent(t.code)}`, cal);
  } catch (err) {
    if (err instanceof LookupRateLimited) throw err;
    if (err instanceof AppError && err.status === 404) {
      return answerOf(
        'dossier_not_found',
        lang,
        lang === 'vi'
          ? 'Không tìm thấy hồ sơ khớp với mã và số điện thoại (hoặc số CCCD) đã cho. Vui lòng kiểm tra lại trên giấy tiếp nhận.'
          : 'No dossier matches this code and phone (or ID) number. Please check them against the receipt.',
        { actions: [{ label: lang === 'vi' ? 'Tra cứu hồ sơ' : 'Look up a dossier', href: '/tra-cuu' }] },
      );
    }
    throw err;
  }
}

async function queueAnswer(ctx: AppContext, actor: Actor, which: 'today' | 'overdue', lang: Lang): Promise<AskAnswer> {
  const q = await workQueue(ctx, actor, { due: which, limit: STAFF_QUEUE_PAGE });
  const cal = await ctx.calendars.forUnit(actor.unitCode ?? 'H15');
  const tab = which === 'today' ? 'due_today' : 'overdue';
  const more = q.nextCursor !== null;
  const n = q.items.length;
  const head =
    lang === 'vi'
      ? which === 'today'
        ? n === 0
          ? 'Không có hồ sơ nào trong phạm vi của bạn đến hạn trả hôm nay.'
          : `Hồ sơ trong phạm vi của bạn đến hạn trả hôm nay: ${more ? `hơn ${n}` : n} (sớm nhất trước):`
        : n === 0
          ? 'Không có hồ sơ nào trong phạm vi của bạn đang quá hạn.'
          : `Hồ sơ trong phạm vi của bạn đang quá hạn: ${more ? `hơn ${n}` : n} (quá hạn lâu nhất trước):`
      : which === 'today'
        ? n === 0
          ? 'No dossier in your scope is due today.'
          : `Dossiers in your scope due today: ${more ? `more than ${n}` : n} (earliest first):`
        : n === 0
          ? 'No dossier in your scope is overdue.'
          : `Overdue dossiers in your scope: ${more ? `more than ${n}` : n} (longest overdue first):`;
  const lines = [head, ...q.items.map((d) => `• ${d.code} — ${d.procedureName}${d.appointmentAt ? ` — ${lang === 'vi' ? 'hẹn' : 'due'} ${localDateTime(cal, new Date(d.appointmentAt), lang)}` : ''}`)];
  return answerOf(which === 'today' ? 'staff_due_today' : 'staff_overdue', lang, lines.join('\n'), {
    dossiers: q.items.map((d) => ({ code: d.code, href: `/can-bo/ho-so/${encodeURIComponent(d.code)}` })),
    actions: [{ label: lang === 'vi' ? 'Mở hàng đợi' : 'Open the queue', href: `/can-bo?tab=${tab}` }],
  });
}

async function indicatorAnswer(ctx: AppContext, actor: Actor, indicator: IndicatorKey, lang: Lang): Promise<AskAnswer> {
  const h = await heatmap(ctx, actor, { period: 'month' });
  const ind = h.indicators.find((i) => i.id === indicator)!;
  const [total, ...units] = h.rows;
  const value = (v: number | null) => (v === null ? (lang === 'vi' ? 'không áp dụng' : 'N/A') : ind.unit === 'percent' ? `${v.toLocaleString('vi-VN')}%` : v.toLocaleString('vi-VN'));
  const bandWord = (b: string) => (lang === 'vi' ? { green: 'xanh', yellow: 'vàng', red: 'đỏ', na: 'không áp dụng' } : { green: 'green', yellow: 'yellow', red: 'red', na: 'N/A' })[b as 'green'] ?? b;
  const c = total!.cells[indicator];
  const unitName = lang === 'en' && total!.unit.nameEn ? total!.unit.nameEn : total!.unit.name;
  const lines = [
    lang === 'vi'
      ? `${ind.name.vi} của ${unitName}, tháng này (${h.period.from} – ${h.period.to}): ${value(c.value)} (${bandWord(c.band)})${c.formula ? `; ${c.formula}` : ''}.`
      : `${ind.name.en} of ${unitName}, this month (${h.period.from} – ${h.period.to}): ${value(c.value)} (${bandWord(c.band)})${c.formula ? `; ${c.formula}` : ''}.`,
  ];
  const dir = ind.direction === 'higher_is_better' ? 1 : -1;
  const worst = units.filter((r) => r.cells[indicator].value !== null).sort((a, b) => dir * (a.cells[indicator].value! - b.cells[indicator].value!)).slice(0, 3);
  if (worst.length > 0) {
    lines.push(lang === 'vi' ? 'Các đơn vị cần chú ý nhất:' : 'Units needing attention most:');
    for (const w of worst) lines.push(`• ${lang === 'en' && w.unit.nameEn ? w.unit.nameEn : w.unit.name}: ${value(w.cells[indicator].value)} (${bandWord(w.cells[indicator].band)})`);
  }
  return answerOf('staff_indicator', lang, lines.join('\n'), {
    actions: [{ label: lang === 'vi' ? 'Mở bảng điều hành' : 'Open the dashboard', href: `/lanh-dao?period=month&sort=${indicator}` }],
  });
}

function procedureView(p: NonNullable<Awaited<ReturnType<typeof getProcedure>>>): ProcedureFactsView {
  return {
    code: p.code,
    name: p.name,
    nameEn: p.nameEn || null,
    implementingBody: p.implementingBody,
    level: p.level,
    onlineLevel: p.onlineLevel,
    noBoundary: p.noBoundary,
    cases: p.cases,
    documents: p.documents,
  };
}

/** Answers one question. `client`: the caller's address (rate limits). */
export async function ask(ctx: AppContext, actor: Actor | null, input: AskInput, client: string): Promise<AskAnswer> {
  await rateLimit(ctx.db, `assistant:${client}`, ASK_LIMIT, ctx.now());
  const staff = actor !== null && isStaff(actor);
  const r = readQuestion(input.question, { staff });
  const lang: Lang = input.lang ?? r.lang;

  let out: AskAnswer | null = null;
  if (r.intents.includes('dossier_status') || input.dossierCode) out = await dossierAnswer(ctx, actor, r, input, lang, client);
  else if (staff && r.intents.includes('due_today')) out = await queueAnswer(ctx, actor!, 'today', lang);
  else if (staff && r.intents.includes('overdue')) out = await queueAnswer(ctx, actor!, 'overdue', lang);
  else if (staff && r.intents.includes('indicator') && r.indicator && (MONITORING_ROLES as readonly string[]).includes(actor!.role)) {
    out = await indicatorAnswer(ctx, actor!, r.indicator, lang);
  }
  if (!out && r.intents.includes('greeting')) {
    out = answerOf(
      'greeting',
      lang,
      lang === 'vi'
        ? 'Xin chào! Tôi là trợ lý ảo về thủ tục hành chính. Bạn có thể hỏi giấy tờ cần chuẩn bị, lệ phí, thời hạn, nơi nộp của một thủ tục, hoặc tình trạng hồ sơ (kèm mã hồ sơ và số điện thoại đã khai).'
        : 'Hello! I answer questions about administrative procedures: documents, fees, time limits, where to submit, and the status of a dossier (with its code and the phone number given).',
    );
  }
  if (!out) {
    const found = await retrieveProcedures(ctx, input.question, { limit: 3 });
    const top = found.noMatch ? undefined : found.procedures[0];
    const detail = top ? await getProcedure(ctx.db, top.code) : null;
    if (detail) {
      const cal = await ctx.calendars.forUnit('H15');
      const a = procedureAnswer(procedureView(detail), procedureFacts(r), { lang, cal, now: ctx.now(), pages: r.pages, copies: r.copies });
      out = answerOf('procedure', lang, a.answer, {
        actions: a.actions,
        procedures: found.procedures.map((p) => ({ code: p.code, name: lang === 'en' && p.nameEn ? p.nameEn : p.name, score: p.score })),
      });
    } else {
      const best = await retrieveFaq(ctx, input.question);
      if (best) {
        out = answerOf('faq', lang, lang === 'en' && best.answerEn ? best.answerEn : best.answer);
      } else {
        out = noMatch(ctx, lang, input.question);
      }
    }
  }
  if (ctx.config.assistant.llm && (out.kind === 'procedure' || out.kind === 'faq')) {
    const text = await rephrase(ctx.config.assistant.llm, out.answer, lang);
    if (text !== null) out = { ...out, answer: text, rephrased: true };
  }
  return out;
}
