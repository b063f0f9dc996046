/**
 * Shared pieces of the officials' workspace (/can-bo/...): who counts as staff, the gate that
 * asks a visitor to log in as an official, the workspace's own navigation, and the shapes of the
 * work API answers (mirroring src/dossiers/routes.ts and src/dossiers/work-counts.ts).
 */
import type { ReactNode } from 'react';
import { Loading } from '../components/ErrorBox.js';
import { SectionNav } from '../components/SectionNav.js';
import { PageHeading } from '../components/PageHeading.js';
import type { Attachment, Bilingual } from '../components/portal/types.js';
import { useT, type Translate } from '../i18n/index.js';
import { Link, useRouter } from '../router.js';
import { useSession } from '../session.js';
import type { SessionUser } from '../types.js';

export const STAFF_ROLES = ['desk_officer', 'specialist', 'unit_leader', 'province_leader', 'admin'] as const;

export function isStaffUser(user: SessionUser | null | undefined): user is SessionUser {
  return !!user && (STAFF_ROLES as readonly string[]).includes(user.role);
}

export const QUEUE_KEYS = ['awaiting_receipt', 'at_my_step', 'processing', 'supplement_requested', 'payment_requested', 'due_today', 'due_soon', 'overdue', 'finished', 'returned'] as const;
export type QueueKey = (typeof QUEUE_KEYS)[number];

export interface QueueCount {
  count: number;
  more: boolean;
}

export interface WorkCounts {
  unit: string;
  cap: number;
  queues: Record<QueueKey, QueueCount>;
}

export interface QueueItem {
  code: string;
  procedureCode: string;
  procedureName: string | null;
  status: string;
  statusCode: number;
  channel: number;
  applicantName: string;
  currentUnit: string;
  currentStep: string;
  submittedAt: string;
  appointmentAt: string | null;
  pendingTimeliness: string | null;
}

export interface StaffDossier {
  code: string;
  procedureCode: string;
  procedureName: string | null;
  caseCode: string;
  channel: number;
  status: string;
  statusCode: number;
  statusName: Bilingual;
  receivingUnit: string;
  decidingUnit: string;
  currentUnit: string;
  currentStep: string;
  stepDueAt: string | null;
  assigneeId: number | null;
  applicant: { type: string; name: string; idNumber: string | null; phone: string | null; email: string | null; address: string | null };
  formData: Record<string, unknown>;
  submittedAt: string;
  receivedAt: string | null;
  appointmentAt: string | null;
  legalAppointmentAt: string | null;
  clockPaused: boolean;
  supplementRequestCount: number;
  apologyCount: number;
  feeAmount: number | null;
  paidAt: string | null;
  finishedAt: string | null;
  returnedAt: string | null;
  timeliness: string | null;
  pendingTimeliness: string | null;
  allowedActions: string[];
  version: number;
  attachments?: Attachment[];
}

export interface HistoryItem {
  seq: number;
  type: string;
  typeName: Bilingual;
  at: string;
  actorRole: string;
  actorName: string | null;
  actorUnit: string | null;
  fromStatus: number | null;
  toStatus: number;
  fromUnit: string | null;
  toUnit: string | null;
  fromStep: string | null;
  toStep: string | null;
  stepTimeliness: string | null;
  reason: string | null;
  payload: Record<string, unknown>;
}

/** "1.234" or "10.000+" (the server counts up to its cap). */
export function countText(t: Translate, c: QueueCount | undefined): string {
  if (!c) return '…';
  return c.more ? t('ws.count.more', { n: t.number(c.count) }) : t.number(c.count);
}

/** The channel's name: 1 walk-in, 2 online, 3 post. */
export function channelName(t: Translate, channel: number): string {
  return channel === 1 ? t('ws.channel.1') : channel === 2 ? t('ws.channel.2') : channel === 3 ? t('ws.channel.3') : String(channel);
}

/**
 * Where a dossier stands against its appointment, as a coloured tag that also says it in words:
 * red overdue, yellow due within two days, green in time.
 */
export function dueTag(t: Translate, appointmentAt: string | null, pending: string | null, now = Date.now()): { className: string; text: string } {
  if (!appointmentAt) return { className: 'tag', text: t('ws.due.none') };
  const at = Date.parse(appointmentAt);
  if (pending === 'overdue' || at < now) return { className: 'tag tag-bad', text: t('ws.due.overdue') };
  if (at - now <= 2 * 24 * 3600_000) return { className: 'tag tag-warn', text: t('ws.due.soon') };
  return { className: 'tag tag-good', text: t('ws.due.ok') };
}

/** The workspace's own links, under the page heading. */
export function WorkspaceNav() {
  const t = useT();
  return (
    <SectionNav
      label={t('ws.nav.label')}
      items={[
        { to: '/can-bo', path: '/can-bo', label: t('ws.nav.queues') },
        { to: '/can-bo/tiep-nhan', path: '/can-bo/tiep-nhan', label: t('ws.nav.walkIn') },
      ]}
    />
  );
}

/** Renders `children` only for a logged-in official; others are asked to log in as one. */
export function StaffOnly({ title, children }: { title: string; children: ReactNode }) {
  const t = useT();
  const { user } = useSession();
  const { location } = useRouter();
  if (user === undefined) return <Loading />;
  if (!isStaffUser(user)) {
    const returnTo = `${location.pathname}${location.search}`;
    return (
      <>
        <PageHeading title={title}>{title}</PageHeading>
        <p className="notice">{user ? t('ws.staffOnly.citizen') : t('ws.staffOnly.text')}</p>
        <p>
          <Link className="button" to={`/can-bo/dang-nhap?returnTo=${encodeURIComponent(returnTo)}`}>
            {t('ws.login.title')}
          </Link>
        </p>
      </>
    );
  }
  return <>{children}</>;
}
