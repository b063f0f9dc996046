/**
 * Shapes of the follow / submit / pay / feedback API answers the portal pages read, mirroring the
 * TypeBox schemas in src/dossiers/routes.ts, follow-routes.ts, attachments.ts, drafts.ts,
 * src/payments/routes.ts and src/feedback/routes.ts.
 */
export interface Bilingual {
  vi: string;
  en: string;
}

export interface Attachment {
  id: string;
  procedureCode: string;
  documentSeq: number | null;
  documentName: Bilingual | null;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
}

export interface Draft {
  procedureCode: string;
  procedureName: string;
  caseCode: string;
  formData: Record<string, unknown>;
  attachments: Attachment[];
  createdAt: string;
  updatedAt: string;
}

export interface Prefill {
  fullName: string;
  idNumber: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
}

export interface Dossier {
  code: string;
  /** The digitally signed result, once issued. */
  signedResult?: { verificationCode: string; signedAt: string; downloadUrl: string; verifyUrl: string } | null;
  procedureCode: string;
  procedureName: string | null;
  caseCode: string;
  channel: number;
  status: string;
  statusCode: number;
  statusName: Bilingual;
  receivingUnit: string;
  submittedAt: string;
  receivedAt: string | null;
  appointmentAt: string | null;
  clockPaused: boolean;
  feeAmount: number | null;
  paidAt: string | null;
  finishedAt: string | null;
  returnedAt: string | null;
  allowedActions: string[];
  attachments?: Attachment[];
}

export interface TimelineStep {
  kind: string;
  at: string;
  label: Bilingual;
  statusCode: number | null;
  upcoming: boolean;
  reason: string | null;
  missing: string[] | null;
  documents: string[] | null;
  appointmentAt: string | null;
  previousAppointmentAt: string | null;
  amount: number | null;
  returnMethod: string | null;
  returnMethodLabel: Bilingual | null;
  trackingNumber: string | null;
  timeliness: string | null;
}

export interface Named {
  code: string;
  name: string;
  nameEn: string | null;
}

export interface Timeline {
  code: string;
  procedure: Named;
  case: Named;
  channel: { code: number } & Bilingual;
  receivingUnit: Named;
  status: { code: number; slug: string } & Bilingual;
  submittedAt: string;
  receivedAt: string | null;
  appointmentAt: string | null;
  timeliness: { code: string } & Bilingual;
  clockPaused: boolean;
  missing: { requestedAt: string; reason: string | null; items: string[] } | null;
  steps: TimelineStep[];
}

export interface ReceiptDocument {
  seq: number | null;
  name: string;
  nameEn: string | null;
  copies: number | null;
  originalRequired: boolean | null;
  files: Array<{ id: string; fileName: string; contentType: string; sizeBytes: number }>;
}

export interface Receipt {
  kind: 'receipt' | 'online_submission';
  title: Bilingual;
  formReference: string;
  demo: boolean;
  code: string;
  issuer: { unitCode: string; parentName: string | null; name: string; unitName: string; unitNameEn: string | null; place: string };
  applicant: { type: string; name: string; idNumber: string | null; phone: string | null; email: string | null; address: string | null };
  procedure: Named;
  case: Named;
  channel: { code: number } & Bilingual;
  status: { code: number } & Bilingual;
  documentsSource: 'attachments' | 'catalog';
  documents: ReceiptDocument[];
  timeLimit: Bilingual;
  submittedAt: string;
  receivedAt: string | null;
  appointmentAt: string | null;
  feeAmount: number | null;
  resultPlace: Bilingual;
  receivedBy: { name: string } | null;
  pdfUrl: string;
}

export type PaymentStatus = 'pending' | 'paid' | 'failed' | 'expired';

export interface Payment {
  reference: string;
  dossierCode: string;
  amount: number;
  currency: string;
  provider: string;
  method: string;
  status: PaymentStatus;
  statusName: Bilingual;
  createdAt: string;
  expiresAt: string;
  paidAt: string | null;
  failedAt: string | null;
  receiptNumber: string | null;
}

export interface StartedPayment extends Payment {
  payUrl: string;
  vietqr: { payload: string; qrSvg: string; bankBin: string; accountNumber: string; accountName: string; purpose: string };
}

export interface PaymentList {
  dossierCode: string;
  feeAmount: number | null;
  items: Payment[];
}

export interface PaymentReceipt {
  receiptNumber: string;
  reference: string;
  dossierCode: string;
  procedure: { code: string; name: string };
  unit: { code: string; name: string };
  payer: { name: string; idNumber: string | null };
  amount: number;
  currency: string;
  amountInWords: string;
  paidAt: string;
  method: string;
  methodName: Bilingual;
  provider: string;
  providerTxnId: string | null;
  simulated: boolean;
}

export type RatingLevel = 'very_satisfied' | 'satisfied' | 'dissatisfied';

export interface RatingView {
  dossierCode: string;
  rating: { level: RatingLevel; levelName: Bilingual; comment: string | null; createdAt: string } | null;
  canRate: boolean;
}

export interface Complaint {
  code: string;
  category: 'phan_anh' | 'kien_nghi';
  categoryName: Bilingual;
  dossierCode: string | null;
  unitCode: string;
  unitName: string | null;
  content: string;
  receivedAt: string;
  dueAt: string;
  status: 'received' | 'processing' | 'answered';
  statusName: Bilingual;
  answer: string | null;
  answeredAt: string | null;
  timeliness: 'on_time' | 'late' | 'pending' | 'overdue';
  overdue: boolean;
}
