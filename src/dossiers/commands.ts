/** The body of an action request and its translation into a core Command (shared by the API and the import). */
import { Type, type Static } from '@sinclair/typebox';
import type { Command } from '../core/dossier-machine.js';
import { AppError, invalidField, type FieldError } from '../platform/errors.js';

export const ACTION_TYPES = [
  'receive',
  'refuse',
  'assign',
  'forward',
  'accept_transfer',
  'request_supplement',
  'supplement',
  'request_payment',
  'confirm_payment',
  'apologize',
  'stop',
  'withdraw',
  'finish',
  'return_result',
] as const;

export const ActionBody = Type.Object(
  {
    type: Type.Union(ACTION_TYPES.map((t) => Type.Literal(t))),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
    assigneeId: Type.Optional(Type.Integer({ minimum: 1 })),
    toStep: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    toUnit: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    missing: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { minItems: 1, maxItems: 50 })),
    documents: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 50 })),
    attachmentIds: Type.Optional(
      Type.Array(Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' }), {
        maxItems: 50,
        uniqueItems: true,
        description: 'supplement: files uploaded with POST /api/attachments (by the same person), linked to the dossier with the action.',
      }),
    ),
    amount: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000_000 })),
    method: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    receiptNumber: Type.Optional(Type.String({ maxLength: 100 })),
    newAppointmentAt: Type.Optional(Type.String({ format: 'date-time' })),
    resultSummary: Type.Optional(Type.String({ maxLength: 2000 })),
    trackingNumber: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false, description: 'An action; which other fields are needed depends on `type`.' },
);
export type ActionBodyT = Static<typeof ActionBody>;

/** Which fields each action takes; anything else is refused, missing required ones are named. */
const ACTION_FIELDS: Record<(typeof ACTION_TYPES)[number], { required: (keyof ActionBodyT)[]; optional: (keyof ActionBodyT)[] }> = {
  receive: { required: [], optional: ['note'] },
  refuse: { required: ['reason'], optional: [] },
  assign: { required: ['assigneeId'], optional: ['toStep', 'note'] },
  forward: { required: [], optional: ['toStep', 'toUnit', 'assigneeId', 'note'] },
  accept_transfer: { required: [], optional: ['note'] },
  request_supplement: { required: ['reason', 'missing'], optional: [] },
  supplement: { required: [], optional: ['documents', 'note', 'attachmentIds'] },
  request_payment: { required: ['amount'], optional: ['note'] },
  confirm_payment: { required: [], optional: ['method', 'receiptNumber'] },
  apologize: { required: ['reason', 'newAppointmentAt'], optional: [] },
  stop: { required: ['reason'], optional: [] },
  withdraw: { required: ['reason'], optional: [] },
  finish: { required: [], optional: ['resultSummary'] },
  return_result: { required: ['method'], optional: ['trackingNumber'] },
};

export function toCommand(b: ActionBodyT): Command {
  const spec = ACTION_FIELDS[b.type];
  const fields: FieldError[] = [];
  for (const k of spec.required) {
    if (b[k] === undefined) fields.push({ field: k, message: `is required for ${b.type}`, messageVi: `là bắt buộc với thao tác ${b.type}` });
  }
  for (const k of Object.keys(b) as (keyof ActionBodyT)[]) {
    if (k !== 'type' && !spec.required.includes(k) && !spec.optional.includes(k)) {
      fields.push({ field: k, message: `is not used by ${b.type}`, messageVi: `không dùng cho thao tác ${b.type}` });
    }
  }
  if (b.type === 'return_result' && b.method && !['in_person', 'online', 'post'].includes(b.method)) {
    fields.push({ field: 'method', message: 'must be one of: in_person, online, post', messageVi: 'phải là một trong: in_person, online, post' });
  }
  if (fields.length) throw new AppError(400, 'invalid_input', 'The action has invalid fields.', 'Thao tác có trường không hợp lệ.', fields);
  const reason = b.reason ?? '';
  switch (b.type) {
    case 'receive':
    case 'accept_transfer':
      return { type: b.type };
    case 'refuse':
    case 'stop':
    case 'withdraw':
      return { type: b.type, reason };
    case 'assign':
      return { type: 'assign', assigneeId: b.assigneeId!, ...(b.toStep ? { toStep: b.toStep } : {}) };
    case 'forward':
      return { type: 'forward', toStep: b.toStep, toUnit: b.toUnit, assigneeId: b.assigneeId ?? null, note: b.note };
    case 'request_supplement':
      return { type: 'request_supplement', reason, missing: b.missing! };
    case 'supplement':
      return { type: 'supplement', documents: b.documents ?? [], note: b.note };
    case 'request_payment':
      return { type: 'request_payment', amount: b.amount! };
    case 'confirm_payment':
      return { type: 'confirm_payment', method: b.method, receiptNumber: b.receiptNumber };
    case 'apologize': {
      const d = new Date(b.newAppointmentAt!);
      if (Number.isNaN(d.getTime())) throw invalidField('newAppointmentAt', 'must be a date-time', 'phải là ngày giờ');
      return { type: 'apologize', reason, newAppointmentAt: d };
    }
    case 'finish':
      return { type: 'finish', resultSummary: b.resultSummary };
    case 'return_result':
      return { type: 'return_result', method: b.method as 'in_person' | 'online' | 'post', trackingNumber: b.trackingNumber };
  }
}

