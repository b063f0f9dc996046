/**
 * Shapes of the API answers the web app reads. They mirror the TypeBox schemas of the server
 * (src/catalog/procedures.ts, src/catalog/routes.ts, src/identity/routes.ts,
 * src/dossiers/routes.ts); test/integration/web.test.ts checks at compile time that the server's
 * types still fit these, so a renamed field breaks the type check instead of the page.
 */
import type { FeeRule } from '../../src/core/fees.js';

export type { FeeRule };
export type Level = 'commune' | 'province';
export type OnlineLevel = 'none' | 'partial' | 'full';
export type ResultType = 'paper' | 'electronic' | 'both';
export type TimeLimitKind = 'working_days' | 'hours' | 'days' | 'same_day' | 'none';

export interface Field {
  code: string;
  name: string;
  nameEn: string;
  procedureCount: number;
}

export interface Unit {
  code: string;
  parentCode: string | null;
  kind: string;
  name: string;
  nameEn: string | null;
}

export interface ProcedureSummary {
  code: string;
  nationalCode: string | null;
  name: string;
  nameEn: string;
  field: string;
  fieldName: string;
  fieldNameEn: string;
  level: Level;
  implementingBody: string;
  implementingUnitKinds: string[];
  implementingUnits: string[];
  applicantTypes: string[];
  resultType: ResultType;
  onlineLevel: OnlineLevel;
  fullOnlineEligible: boolean;
  noBoundary: boolean;
}

export interface TimeLimit {
  kind: TimeLimitKind;
  value: number;
}

export interface ProcedureCase {
  code: string;
  name: string;
  nameEn: string;
  timeLimit: TimeLimit;
  serviceNorm: { kind: Exclude<TimeLimitKind, 'none'>; value: number } | null;
  fee: FeeRule;
}

export interface ProcedureDocument {
  seq: number;
  name: string;
  nameEn: string;
  copies: number;
  originalRequired: boolean;
  required: boolean;
  /** Cases the document applies to; empty = every case. */
  caseCodes: string[];
  note: string;
}

export type VerificationState = 'verified' | 'to_verify';

export interface ProcedureDetail extends ProcedureSummary {
  legalBasis: string;
  resultName: string;
  verification: Record<'timeLimit' | 'fee' | 'documents' | 'legalBasis' | 'code', VerificationState>;
  form: unknown[];
  updatedAt: string;
  cases: ProcedureCase[];
  documents: ProcedureDocument[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface SessionUser {
  id: number;
  role: string;
  fullName: string;
  unitCode: string | null;
  idNumber: string | null;
  phone: string | null;
  email: string | null;
}

export interface Session {
  user: SessionUser;
  csrfToken: string;
}

export interface Health {
  status: 'ok';
  database: string;
  demo?: boolean;
}

export interface DossierSummary {
  code: string;
  procedureCode: string;
  procedureName: string | null;
  caseCode: string;
  status: string;
  statusCode: number;
  statusName: { vi: string; en: string };
  submittedAt: string;
  appointmentAt: string | null;
}
