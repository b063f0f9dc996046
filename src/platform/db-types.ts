/**
 * Kysely table types, mirroring migrations/*.sql. Keep in step with the migrations.
 */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface UnitsTable {
  code: string;
  parent_code: string | null;
  kind: 'nation' | 'province' | 'department' | 'ward' | 'commune' | 'desk';
  name: string;
  name_en: string | null;
  path: string;
  verified: Generated<boolean>;
  active: Generated<boolean>;
}

export interface CalendarDaysTable {
  date: string;
  kind: 'day_off' | 'working_day';
  name: string;
  name_en: Generated<string>;
  verified: Generated<boolean>;
  updated_at: DefaultedTimestamp;
}

export interface IntervalJson {
  start: number;
  end: number;
}

export interface UnitWorkingHoursTable {
  unit_code: string;
  weekly: Json<Record<string, IntervalJson[]>>;
  swap_day_hours: Json<IntervalJson[]>;
  updated_at: DefaultedTimestamp;
}

export type Role = 'citizen' | 'desk_officer' | 'specialist' | 'unit_leader' | 'province_leader' | 'admin';

export interface UsersTable {
  id: Generated<number>;
  username: string | null;
  password_hash: string | null;
  role: Role;
  unit_code: string | null;
  full_name: string;
  email: string | null;
  phone: string | null;
  id_number: string | null;
  /** Migration 010: the identity provider's address claim. */
  address: Generated<string | null>;
  oidc_sub: string | null;
  active: Generated<boolean>;
  created_at: DefaultedTimestamp;
}

export interface SessionsTable {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: DefaultedTimestamp;
  expires_at: Timestamp;
}

export interface RateLimitHitsTable {
  bucket: string;
  at: DefaultedTimestamp;
}

export interface OidcLoginsTable {
  state: string;
  nonce: string;
  code_verifier: string;
  return_to: Generated<string>;
  created_at: DefaultedTimestamp;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: DefaultedTimestamp;
  actor_id: number | null;
  action: string;
  object_type: string;
  object_id: string;
  reason: string | null;
  details: Json<Record<string, unknown>>;
}

export interface FieldsTable {
  code: string;
  name: string;
  name_en: string;
}

export interface ProceduresTable {
  code: string;
  national_code: string | null;
  name: string;
  name_en: Generated<string>;
  field_code: string;
  level: 'province' | 'commune';
  implementing_body: string;
  implementing_unit_kinds: ColumnType<string[], string[] | undefined, string[]>;
  implementing_units: ColumnType<string[], string[] | undefined, string[]>;
  applicant_types: string[];
  legal_basis: string;
  result_type: 'paper' | 'electronic' | 'both';
  result_name: string;
  online_level: 'none' | 'partial' | 'full';
  full_online_eligible: Generated<boolean>;
  no_boundary: Generated<boolean>;
  steps: ColumnType<string[], string | undefined, string>;
  step_norms: ColumnType<Record<string, number>, string | undefined, string>;
  form: ColumnType<unknown[], string | undefined, string>;
  aliases: ColumnType<string[], string[] | undefined, string[]>;
  verification: ColumnType<Record<string, string>, string | undefined, string>;
  source: Generated<string>;
  active: Generated<boolean>;
  search_text: Generated<string>;
  /** Generated always (migration 005): never written. */
  search_name: ColumnType<string, never, never>;
  search_aliases: ColumnType<string, never, never>;
  /** Generated always (migration 024): the search text as whole words between spaces. */
  assistant_words: ColumnType<string, never, never>;
  updated_at: DefaultedTimestamp;
}

export type TimeLimitKindDb = 'working_days' | 'hours' | 'days' | 'same_day' | 'none';

export interface ProcedureCasesTable {
  procedure_code: string;
  code: string;
  name: string;
  name_en: Generated<string>;
  time_limit_kind: TimeLimitKindDb;
  time_limit_value: ColumnType<number, number | undefined, number>;
  service_norm_kind: Exclude<TimeLimitKindDb, 'none'> | null;
  service_norm_value: number | null;
  fee: ColumnType<Record<string, unknown>, string | undefined, string>;
  sort: Generated<number>;
}

export interface ProcedureDocumentsTable {
  procedure_code: string;
  seq: number;
  name: string;
  name_en: Generated<string>;
  copies: Generated<number>;
  original_required: Generated<boolean>;
  required: Generated<boolean>;
  case_codes: ColumnType<string[], string[] | undefined, string[]>;
  note: Generated<string>;
}

export interface DossiersTable {
  id: Generated<number>;
  code: string;
  procedure_code: string;
  case_code: string;
  channel: number;
  status_code: number;
  receiving_unit: string;
  deciding_unit: string;
  current_unit: string;
  current_step: string;
  assignee_id: number | null;
  owner_id: number | null;
  applicant_type: 'citizen' | 'business';
  applicant_name: string;
  applicant_id_number: string | null;
  applicant_phone: string | null;
  applicant_email: string | null;
  applicant_address: string | null;
  form_data: ColumnType<Record<string, unknown>, string | undefined, string>;
  submitted_at: Timestamp;
  received_at: Timestamp | null;
  limit_kind: string;
  limit_value: number;
  appointment_at: Timestamp | null;
  appointment_set_by: 'rule' | 'apology' | null;
  legal_appointment_at: Timestamp | null;
  step_due_at: Timestamp | null;
  /** Migration 023 (time at each step). */
  step_entered_at: Timestamp | null;
  step_waited_working_ms: ColumnType<number, number | undefined, number>;
  paused_at: Timestamp | null;
  paused_working_ms: Generated<number>;
  supplement_request_count: Generated<number>;
  apology_count: Generated<number>;
  /** Bits counted in the monitoring_flag_* aggregates (migration 020); kept by a trigger. */
  monitoring_flags: Generated<number>;
  fee_amount: number | null;
  paid_at: Timestamp | null;
  pages: number | null;
  transfer_sent_at: Timestamp | null;
  transfer_received_at: Timestamp | null;
  transfer_returned_at: Timestamp | null;
  finished_at: Timestamp | null;
  returned_at: Timestamp | null;
  timeliness: 'early' | 'on_time' | 'late' | null;
  action_count: Generated<number>;
  version: Generated<number>;
  updated_at: Timestamp;
  queue_due: ColumnType<Date, never, never>;
}

export interface DossierActionsTable {
  id: Generated<number>;
  dossier_id: number;
  seq: number;
  type: string;
  at: Timestamp;
  actor_id: number | null;
  actor_role: string;
  actor_unit: string | null;
  from_status: number | null;
  to_status: number;
  from_unit: string | null;
  to_unit: string | null;
  from_step: string | null;
  to_step: string | null;
  step_timeliness: 'early' | 'on_time' | 'late' | null;
  reason: string | null;
  payload: ColumnType<Record<string, unknown>, string | undefined, string>;
  idempotency_key: string;
}

export interface DossierCodeCountersTable {
  unit_code: string;
  day: string;
  last_value: number;
}

export interface DossierSubmissionsTable {
  client_key: string;
  idempotency_key: string;
  dossier_id: number;
  request_hash: string;
  created_at: DefaultedTimestamp;
}

export interface NotificationsTable {
  id: Generated<number>;
  action_id: number;
  dossier_id: number;
  channel: Generated<'email'>;
  recipient: string;
  subject: string;
  body_text: string;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
}

export interface SettingsTable {
  key: string;
  value: Json<unknown>;
  updated_at: DefaultedTimestamp;
}

export interface PaymentsTable {
  id: Generated<number>;
  reference: string;
  dossier_id: number;
  amount: ColumnType<number, number, number>;
  currency: Generated<'VND'>;
  purpose: string;
  provider: 'local' | 'bank_transfer';
  method: Generated<'online' | 'bank_transfer'>;
  status: Generated<'pending' | 'paid' | 'failed' | 'expired'>;
  created_by: number;
  created_at: Timestamp;
  expires_at: Timestamp;
  paid_at: Timestamp | null;
  failed_at: Timestamp | null;
  provider_txn_id: string | null;
  receipt_number: string | null;
}

export interface PaymentCallbacksTable {
  id: Generated<number>;
  provider: string;
  event_id: string;
  reference: string | null;
  payload: Json<Record<string, unknown>>;
  outcome: 'paid' | 'failed' | 'expired' | 'ignored_already_settled' | 'rejected_amount' | 'rejected_unknown_payment';
  received_at: Timestamp;
}

export interface DossierRatingsTable {
  dossier_id: number;
  user_id: number;
  level: 'very_satisfied' | 'satisfied' | 'dissatisfied';
  comment: string | null;
  created_at: Timestamp;
}

export interface ComplaintCodeCountersTable {
  unit_code: string;
  day: string;
  last_value: number;
}

export interface ComplaintsTable {
  id: Generated<number>;
  code: string;
  submitter_id: number;
  dossier_id: number | null;
  unit_code: string;
  category: 'phan_anh' | 'kien_nghi';
  content: string;
  received_at: Timestamp;
  due_at: Timestamp;
  status: Generated<'received' | 'processing' | 'answered'>;
  answer: string | null;
  answered_by: number | null;
  answered_at: Timestamp | null;
  answered_on_time: boolean | null;
  updated_at: Timestamp;
}

export interface DossierDraftsTable {
  id: Generated<number>;
  owner_user_id: number;
  procedure_code: string;
  case_code: string;
  form_data: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AttachmentsTable {
  id: Generated<number>;
  public_id: string;
  owner_user_id: number;
  dossier_id: number | null;
  draft_id: number | null;
  procedure_code: string;
  document_seq: number | null;
  file_name: string;
  content_type: 'application/pdf' | 'image/jpeg' | 'image/png';
  size_bytes: ColumnType<number, number, number>;
  sha256: string;
  storage_key: string;
  created_at: Timestamp;
}

/** migrations/013_digitisation.sql: the electronic copy of each required document of a dossier. */
export interface DossierDocumentsTable {
  dossier_id: number;
  document_seq: number;
  attachment_id: number;
  source: 'scan' | 'upload' | 'reuse';
  reused_from_dossier_id: number | null;
  digitised_at: Timestamp;
  digitised_by: number | null;
}

export interface SearchLexiconTable {
  term_folded: string;
  term: string;
  expansions: string[];
  note: Generated<string>;
  updated_at: DefaultedTimestamp;
}

/** The assistant's FAQ (migration 024). */
export interface AssistantFaqTable {
  id: Generated<number>;
  slug: string;
  question: string;
  question_en: Generated<string>;
  answer: string;
  answer_en: Generated<string>;
  keywords: Generated<string>;
  active: Generated<boolean>;
  updated_at: DefaultedTimestamp;
  /** Generated always: never written. */
  search_text: ColumnType<string, never, never>;
}

/** Filled by a trigger on procedures (migration 005). */
export interface SearchWordsTable {
  variant: string;
  word: string;
}

export interface SigningKeysTable {
  unit_code: string;
  p12: Buffer;
  passphrase: string;
  subject: string;
  serial: string;
  certificate_sha256: string;
  not_before: Timestamp;
  not_after: Timestamp;
  generated: Generated<boolean>;
  created_at: Timestamp;
  created_by: number | null;
}

export interface SignedResultsTable {
  id: Generated<number>;
  dossier_id: number;
  verification_code: string;
  storage_key: string;
  sha256: string;
  unit_code: string;
  signer_subject: string;
  certificate_sha256: string;
  signed_at: Timestamp;
  signed_by: number | null;
}

/** Monitoring aggregates (migration 016). */
export interface MonitoringFlowColumns {
  received: number;
  settled_early: number;
  settled_on_time: number;
  settled_late: number;
  settled_working_ms: number;
  supplement_requests: number;
  apologies: number;
}
export interface MonitoringDailyTable extends MonitoringFlowColumns {
  unit_code: string;
  day: ColumnType<string, string, string>;
  procedure_code: string;
  channel: number;
  field_code: string;
}
export interface MonitoringDailyFieldTable extends MonitoringFlowColumns {
  day: ColumnType<string, string, string>;
  unit_code: string;
  field_code: string;
  channel: number;
}
export interface MonitoringMonthlyFieldTable extends MonitoringFlowColumns {
  /** First day of the local calendar month. */
  month: ColumnType<string, string, string>;
  unit_code: string;
  field_code: string;
  channel: number;
}
/** Dossier flags counted on the day received and on the day settled (migration 020). */
export interface MonitoringFlagColumns {
  fo_eligible: Generated<number>;
  full_online: Generated<number>;
  with_fee: Generated<number>;
  paid_online: Generated<number>;
  digitised: Generated<number>;
  reusing: Generated<number>;
  paper_result: Generated<number>;
  paper_e_result: Generated<number>;
  disliked: Generated<number>;
  fo_eligible_settled: Generated<number>;
  full_online_settled: Generated<number>;
  with_fee_settled: Generated<number>;
  paid_online_settled: Generated<number>;
  digitised_settled: Generated<number>;
  reusing_settled: Generated<number>;
  paper_result_settled: Generated<number>;
  paper_e_result_settled: Generated<number>;
  disliked_settled: Generated<number>;
}
export interface MonitoringFlagDailyTable extends MonitoringFlagColumns {
  unit_code: string;
  day: ColumnType<string, string, string>;
  procedure_code: string;
  channel: number;
  field_code: string;
}
export interface MonitoringFlagDailyFieldTable extends MonitoringFlagColumns {
  day: ColumnType<string, string, string>;
  unit_code: string;
  field_code: string;
  channel: number;
}
export interface MonitoringFlagMonthlyFieldTable extends MonitoringFlagColumns {
  month: ColumnType<string, string, string>;
  unit_code: string;
  field_code: string;
  channel: number;
}
/** Dossiers paid online per unit × procedure × month received (migration 025, kept by triggers on monitoring_flag_daily). */
export interface MonitoringPaidMonthlyTable {
  month: ColumnType<string, string, string>;
  unit_code: string;
  procedure_code: string;
  field_code: string;
  paid_online: number;
}
/** monitoring_open summed per deciding unit (migration 025, kept by the trigger monitoring_open_rollup). */
export interface MonitoringOpenTotalTable {
  unit_code: string;
  open_count: number;
  open_online: number;
}
/** monitoring_open_unit summed per deciding unit × month of the due day (migration 026, kept by a trigger). */
export interface MonitoringOpenMonthTable {
  unit_code: string;
  /** The month's first day. */
  due_month: ColumnType<string, string, string>;
  open_count: number;
}
/** The monthly tables summed over the fields: unit × channel × month (migration 025, kept by triggers). */
export interface MonitoringMonthlyUnitTable extends MonitoringFlowColumns {
  month: ColumnType<string, string, string>;
  unit_code: string;
  channel: number;
}
export interface MonitoringFlagMonthlyUnitTable extends MonitoringFlagColumns {
  month: ColumnType<string, string, string>;
  unit_code: string;
  channel: number;
}
/** Open dossiers now by flag per unit × field × channel (migration 020). */
export interface MonitoringFlagOpenTable {
  unit_code: string;
  field_code: string;
  channel: number;
  fo_eligible: Generated<number>;
  full_online: Generated<number>;
  with_fee: Generated<number>;
  paid_online: Generated<number>;
  digitised: Generated<number>;
  reusing: Generated<number>;
}
/** monitoring_open summed per unit × due day (migration 021). */
export interface MonitoringOpenUnitTable {
  unit_code: string;
  due_day: ColumnType<string, string, string>;
  open_count: number;
  open_online: number;
}
/** monitoring_open summed per field × unit × due day (migration 021). */
export interface MonitoringOpenFieldTable {
  field_code: string;
  unit_code: string;
  due_day: ColumnType<string, string, string>;
  open_count: number;
  open_online: number;
}
export interface MonitoringOpenTable {
  unit_code: string;
  procedure_code: string;
  channel: number;
  due_day: ColumnType<string, string, string>;
  field_code: string;
  open_count: number;
}
/** Time at each step per deciding unit × local month × procedure × step (migration 023). */
export interface MonitoringStepsMonthlyTable {
  unit_code: string;
  /** First day of the local calendar month. */
  month: ColumnType<string, string, string>;
  procedure_code: string;
  step: string;
  handovers: number;
  early: number;
  on_time: number;
  late: number;
  working_ms: number;
  norm_ms: number;
  with_norm: number;
}
/** Outbox of live monitoring (migration 018): written by triggers, emptied by motcua_monitoring_relay(). */
export interface MonitoringChangesTable {
  /** NULL: everything changed (a rebuild). */
  unit_code: string | null;
  changed_at: ColumnType<Date, Date | string | undefined, never>;
}
/** Admin overrides of the monitoring defaults (migration 022); no row = the code's defaults. */
export interface MonitoringSettingsTable {
  key: 'heatmap_thresholds' | 'index766_config';
  value: Json<Record<string, unknown>>;
  updated_at: DefaultedTimestamp;
  updated_by: number | null;
}

/** Periodic reports (migration 017). */
export interface ReportRunsTable {
  id: Generated<number>;
  unit_code: string;
  period_from: ColumnType<string, string, string>;
  period_to: ColumnType<string, string, string>;
  created_at: Timestamp;
  claimed_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  completed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  emailed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  recipients: ColumnType<string[], string[] | undefined, string[]>;
  last_error: string | null;
}
export interface ReportFilesTable {
  id: Generated<number>;
  run_id: number;
  form: 'ii-06a' | 'ii-07a';
  format: 'xlsx' | 'pdf';
  storage_key: string;
  byte_size: number;
  sha256: string;
  generated_at: Timestamp;
}

export interface DB {
  monitoring_daily: MonitoringDailyTable;
  monitoring_daily_field: MonitoringDailyFieldTable;
  monitoring_flag_daily: MonitoringFlagDailyTable;
  monitoring_flag_daily_field: MonitoringFlagDailyFieldTable;
  monitoring_flag_monthly_field: MonitoringFlagMonthlyFieldTable;
  monitoring_flag_open: MonitoringFlagOpenTable;
  monitoring_open_unit: MonitoringOpenUnitTable;
  monitoring_open_total: MonitoringOpenTotalTable;
  monitoring_open_month: MonitoringOpenMonthTable;
  monitoring_paid_monthly: MonitoringPaidMonthlyTable;
  monitoring_open_field: MonitoringOpenFieldTable;
  monitoring_monthly_field: MonitoringMonthlyFieldTable;
  monitoring_monthly_unit: MonitoringMonthlyUnitTable;
  monitoring_flag_monthly_unit: MonitoringFlagMonthlyUnitTable;
  monitoring_open: MonitoringOpenTable;
  monitoring_steps_monthly: MonitoringStepsMonthlyTable;
  monitoring_changes: MonitoringChangesTable;
  monitoring_settings: MonitoringSettingsTable;
  report_runs: ReportRunsTable;
  report_files: ReportFilesTable;
  search_lexicon: SearchLexiconTable;
  search_words: SearchWordsTable;
  assistant_faq: AssistantFaqTable;
  settings: SettingsTable;
  units: UnitsTable;
  calendar_days: CalendarDaysTable;
  unit_working_hours: UnitWorkingHoursTable;
  users: UsersTable;
  sessions: SessionsTable;
  rate_limit_hits: RateLimitHitsTable;
  oidc_logins: OidcLoginsTable;
  audit_log: AuditLogTable;
  fields: FieldsTable;
  procedures: ProceduresTable;
  procedure_cases: ProcedureCasesTable;
  procedure_documents: ProcedureDocumentsTable;
  dossiers: DossiersTable;
  dossier_actions: DossierActionsTable;
  dossier_code_counters: DossierCodeCountersTable;
  dossier_submissions: DossierSubmissionsTable;
  dossier_drafts: DossierDraftsTable;
  attachments: AttachmentsTable;
  payments: PaymentsTable;
  payment_callbacks: PaymentCallbacksTable;
  dossier_ratings: DossierRatingsTable;
  complaint_code_counters: ComplaintCodeCountersTable;
  complaints: ComplaintsTable;
  notifications: NotificationsTable;
  signing_keys: SigningKeysTable;
  signed_results: SignedResultsTable;
  dossier_documents: DossierDocumentsTable;
}
