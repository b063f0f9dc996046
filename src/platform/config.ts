/**
 * Configuration from environment variables, validated once at start.
 * Every bad value is reported with what was wrong and what to do, in Vietnamese and English,
 * and all problems are reported together rather than one per restart.
 */
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  /** PostgreSQL connection string; when absent the embedded PGlite database is used. */
  databaseUrl: string | null;
  /** Folder of the embedded database (PGlite) and its lock file. */
  dataDir: string;
  /** Seed the Đắk Lắk demo (catalog, staff accounts, simulated dossiers) into an empty database. */
  demo: boolean;
  demoDossiers: number;
  demoDays: number;
  /** The address citizens and staff use to reach the system (links in emails, OIDC redirect). */
  publicUrl: string;
  /** OpenID Connect provider standing in for VNeID. Null issuer = start the local provider (demo). */
  oidc: {
    issuer: string | null;
    clientId: string;
    clientSecret: string;
    /** Port of the local OpenID provider started in demo mode. */
    localProviderPort: number;
  };
  cookieSecure: boolean;
  sessionTtlHours: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * Which proxies' X-Forwarded-For to believe (client addresses drive the login and lookup rate
   * limits): false = none (the default: a client could otherwise claim any address), a number of
   * hops, or a list of proxy addresses/CIDRs.
   */
  trustProxy: boolean | number | string[];
  /** Maximum request body in bytes (JSON); uploads have their own limits. */
  bodyLimit: number;
  /** Where uploaded documents and generated files are kept. */
  files: {
    /** Local folder (used when no S3 bucket is configured). */
    dir: string;
    /** S3-compatible object storage; null = the local folder. */
    s3: { endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string } | null;
    /** Largest accepted upload, bytes. */
    maxUploadBytes: number;
  };
  /** Outgoing email; null url = messages are kept in the outbox and not sent. */
  mail: { smtpUrl: string | null; from: string };
  /**
   * Periodic reports: besides the province leaders with an email address, these addresses receive
   * the monthly report (REPORT_RECIPIENTS, comma-separated).
   */
  reports: { recipients: string[] };
  /**
   * The virtual assistant (issue 6): who to contact when it cannot answer (ASSISTANT_CONTACT, one
   * line shown as is: the province's hotline and centre, which motcua cannot know by itself), and
   * an optional OpenAI-compatible endpoint that only rephrases the facts (ASSISTANT_LLM_URL,
   * ASSISTANT_LLM_MODEL, ASSISTANT_LLM_KEY); off when unset.
   */
  assistant: { contact: string | null; llm: { url: string; model: string; key: string | null } | null };
  /** Payments: the built-in local provider's signing secret, and the bank account shown in VietQR. */
  payment: {
    /** HMAC secret of the local provider's callbacks; null = generated once and kept in the database. */
    callbackSecret: string | null;
    vietqr: { bankBin: string; accountNumber: string; accountName: string };
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      'Cấu hình không hợp lệ / Invalid configuration:\n' + problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];

  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    if (!/^\d+$/.test(raw.trim())) {
      problems.push(
        `${name}="${raw}": phải là số nguyên từ ${min} đến ${max} / must be a whole number from ${min} to ${max}`,
      );
      return def;
    }
    const n = Number(raw.trim());
    if (n < min || n > max) {
      problems.push(
        `${name}=${n}: phải nằm trong khoảng ${min}–${max} / must be between ${min} and ${max}`,
      );
      return def;
    }
    return n;
  };
  const bool = (name: string, def: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    const v = raw.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    problems.push(`${name}="${raw}": chỉ nhận true hoặc false / must be true or false`);
    return def;
  };
  const url = (name: string, protocols: string[]): string | null => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return null;
    try {
      const u = new URL(raw.trim());
      if (!protocols.includes(u.protocol)) throw new Error('protocol');
      return raw.trim();
    } catch {
      problems.push(
        `${name}: không phải địa chỉ hợp lệ (${protocols.join(', ')}) / not a valid ${protocols.join(' or ')} URL`,
      );
      return null;
    }
  };

  const port = int('PORT', 3000, 1, 65535);
  const host = env.HOST?.trim() || '0.0.0.0';
  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const dataDir = path.resolve(cwd, env.MOTCUA_DATA_DIR?.trim() || 'data');
  const demo = bool('MOTCUA_DEMO', true);
  const demoDossiers = int('MOTCUA_DEMO_DOSSIERS', 30000, 0, 10_000_000);
  const demoDays = int('MOTCUA_DEMO_DAYS', 90, 1, 3650);
  const publicUrl = url('PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`;
  const issuer = url('OIDC_ISSUER', ['http:', 'https:']);
  const localProviderPort = int('OIDC_LOCAL_PORT', port === 65535 ? 65534 : port + 1, 1, 65535);
  if (localProviderPort === port && !issuer) {
    problems.push('OIDC_LOCAL_PORT trùng PORT / OIDC_LOCAL_PORT must differ from PORT');
  }
  const clientId = env.OIDC_CLIENT_ID?.trim() || 'motcua';
  const clientSecret = env.OIDC_CLIENT_SECRET?.trim() || (issuer ? '' : 'motcua-local-demo-secret');
  if (issuer && !clientSecret) {
    problems.push('OIDC_CLIENT_SECRET: bắt buộc khi đặt OIDC_ISSUER / required when OIDC_ISSUER is set');
  }
  const cookieSecure = bool('COOKIE_SECURE', publicUrl.startsWith('https:'));
  const sessionTtlHours = int('SESSION_TTL_HOURS', 12, 1, 24 * 30);
  const bodyLimit = int('BODY_LIMIT_BYTES', 1_048_576, 1024, 100 * 1_048_576);
  const logRaw = (env.LOG_LEVEL?.trim() || 'info').toLowerCase();
  let logLevel: Config['logLevel'] = 'info';
  if ((LOG_LEVELS as readonly string[]).includes(logRaw)) logLevel = logRaw as Config['logLevel'];
  else problems.push(`LOG_LEVEL="${logRaw}": một trong / one of ${LOG_LEVELS.join(', ')}`);

  const trustRaw = env.TRUST_PROXY?.trim() ?? '';
  let trustProxy: Config['trustProxy'] = false;
  if (/^(true|yes|on|1)$/i.test(trustRaw)) trustProxy = true;
  else if (trustRaw === '' || /^(false|no|off|0)$/i.test(trustRaw)) trustProxy = false;
  else if (/^\d{1,2}$/.test(trustRaw)) trustProxy = Number(trustRaw);
  else {
    const list = trustRaw.split(',').map((x) => x.trim()).filter(Boolean);
    const bad = list.filter((x) => !/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(x));
    if (bad.length) {
      problems.push(`TRUST_PROXY="${trustRaw}": true/false, số proxy, hoặc danh sách địa chỉ IP/CIDR cách nhau bằng dấu phẩy / true/false, a hop count, or a comma-separated list of proxy IPs/CIDRs`);
    } else trustProxy = list;
  }
  const filesDir = path.resolve(cwd, env.MOTCUA_FILES_DIR?.trim() || path.join(dataDir, 'files'));
  const s3Endpoint = url('S3_ENDPOINT', ['http:', 'https:']);
  const s3Bucket = env.S3_BUCKET?.trim() || '';
  let s3: Config['files']['s3'] = null;
  if (s3Endpoint || s3Bucket) {
    const accessKeyId = env.S3_ACCESS_KEY_ID?.trim() || '';
    const secretAccessKey = env.S3_SECRET_ACCESS_KEY?.trim() || '';
    if (!s3Endpoint) problems.push('S3_ENDPOINT: bắt buộc khi đặt S3_BUCKET / required when S3_BUCKET is set');
    if (!s3Bucket) problems.push('S3_BUCKET: bắt buộc khi đặt S3_ENDPOINT / required when S3_ENDPOINT is set');
    if (!accessKeyId || !secretAccessKey) {
      problems.push('S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: bắt buộc khi dùng S3 / required when S3 is used');
    }
    if (s3Endpoint && s3Bucket) s3 = { endpoint: s3Endpoint.replace(/\/$/, ''), bucket: s3Bucket, region: env.S3_REGION?.trim() || 'us-east-1', accessKeyId, secretAccessKey };
  }
  const maxUploadBytes = int('UPLOAD_MAX_MB', 10, 1, 100) * 1_048_576;
  const smtpUrl = url('SMTP_URL', ['smtp:', 'smtps:']);
  const mailFrom = env.MAIL_FROM?.trim() || 'motcua <no-reply@motcua.local>';
  const reportRecipients = (env.REPORT_RECIPIENTS ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  const badRecipients = reportRecipients.filter((x) => !/^[^\s@,;<>]+@[^\s@,;<>]+\.[^\s@,;<>]+$/.test(x));
  if (badRecipients.length) {
    problems.push(`REPORT_RECIPIENTS: không phải địa chỉ email / not email addresses: ${badRecipients.join(', ')}`);
  }
  const assistantLlmUrl = url('ASSISTANT_LLM_URL', ['http:', 'https:']);
  const callbackSecret = env.PAYMENT_CALLBACK_SECRET?.trim() || null;
  if (callbackSecret !== null && callbackSecret.length < 16) {
    problems.push('PAYMENT_CALLBACK_SECRET: ít nhất 16 ký tự / at least 16 characters');
  }
  const bankBin = env.VIETQR_BANK_BIN?.trim() || '970415';
  if (!/^\d{6}$/.test(bankBin)) problems.push(`VIETQR_BANK_BIN="${bankBin}": 6 chữ số (mã BIN ngân hàng) / 6 digits (the bank's BIN)`);
  const accountNumber = env.VIETQR_ACCOUNT?.trim() || '0000000000';
  if (!/^[0-9A-Za-z]{1,19}$/.test(accountNumber)) problems.push('VIETQR_ACCOUNT: 1–19 chữ số hoặc chữ cái / 1–19 letters or digits');
  const accountName = env.VIETQR_ACCOUNT_NAME?.trim() || 'TAI KHOAN MO PHONG (DEMO)';

  if (problems.length) throw new ConfigError(problems);
  return {
    port,
    host,
    databaseUrl,
    dataDir,
    demo,
    demoDossiers,
    demoDays,
    publicUrl: publicUrl.replace(/\/$/, ''),
    oidc: { issuer, clientId, clientSecret, localProviderPort },
    cookieSecure,
    sessionTtlHours,
    logLevel,
    trustProxy,
    bodyLimit,
    files: { dir: filesDir, s3, maxUploadBytes },
    mail: { smtpUrl, from: mailFrom },
    reports: { recipients: [...new Set(reportRecipients.map((x) => x.toLowerCase()))] },
    assistant: {
      contact: env.ASSISTANT_CONTACT?.trim() || null,
      llm: assistantLlmUrl ? { url: assistantLlmUrl.replace(/\/+$/, ''), model: env.ASSISTANT_LLM_MODEL?.trim() || 'default', key: env.ASSISTANT_LLM_KEY?.trim() || null } : null,
    },
    payment: { callbackSecret, vietqr: { bankBin, accountNumber, accountName } },
  };
}
