/**
 * The HTTP server: Fastify with TypeBox schemas that serve validation and the OpenAPI document.
 * Bodies are validated strictly (no type coercion, unknown fields refused); query strings and
 * path parameters are coerced from text. Every error leaves as
 * `{ "error": { "code", "message", "messageVi", "fields"? } }`, never as a bare 500.
 */
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyBaseLogger, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import cookie from '@fastify/cookie';
import { Ajv } from 'ajv';
import { AppError } from './errors.js';
import { fieldErrorsFromAjv } from './validation-messages.js';
import { isValidDate, isValidDateTime } from './dates.js';
import { Type } from '@sinclair/typebox';

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface HttpOptions {
  logLevel: string;
  bodyLimit: number;
  version: string;
  /** See Config.trustProxy. */
  trustProxy?: boolean | number | string[];
}

function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    coerceTypes: coerce ? 'array' : false,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
  });
  // TypeBox string formats we use.
  ajv.addFormat('date-time', { type: 'string', validate: isValidDateTime });
  ajv.addFormat('date', { type: 'string', validate: isValidDate });
  ajv.addFormat('email', { type: 'string', validate: (s: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s) });
  return ajv;
}

export async function createHttpServer(opts: HttpOptions): Promise<App> {
  const app = Fastify({
    logger: opts.logLevel === 'silent' ? false : { level: opts.logLevel },
    bodyLimit: opts.bodyLimit,
    // Fastify accepts a hop count too (documented), though its type omits it.
    trustProxy: (opts.trustProxy ?? false) as boolean | string | string[],
    logController: new LogController({ disableRequestLogging: opts.logLevel !== 'debug' && opts.logLevel !== 'trace' }),
    return503OnClosing: true,
    // Errors Fastify raises before routing (an over-long path parameter, a malformed URL) get the
    // same bilingual shape as every other error.
    frameworkErrors: (error, _request, reply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      const body = tooLong
        ? new AppError(414, 'uri_too_long', 'A value in the address is too long.', 'Một giá trị trong địa chỉ quá dài.')
        : new AppError(400, 'bad_url', 'The address is malformed (check its percent-encoding).', 'Địa chỉ không hợp lệ (kiểm tra mã hoá phần trăm).');
      void (reply as unknown as { status(n: number): { send(b: unknown): unknown } }).status(body.status).send(body.toBody());
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // JSON only: a body sent as text/plain is refused (415) instead of parsed as a string.
  app.removeContentTypeParser('text/plain');
  // Routes that take no query parameters refuse unknown ones (every API route gets a schema).
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    route.schema = route.schema ?? {};
    if (!route.schema.querystring) route.schema.querystring = Type.Object({}, { additionalProperties: false });
  });

  const strict = makeAjv(false);
  const coercing = makeAjv(true);
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? strict : coercing;
    return ajv.compile(schema);
  });
  app.setSchemaErrorFormatter((errors, dataVar) => {
    const err = new AppError(
      400,
      'invalid_input',
      'The request has invalid fields.',
      'Yêu cầu có trường không hợp lệ.',
      fieldErrorsFromAjv(errors as never, dataVar),
    );
    return err as unknown as Error;
  });

  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) return reply.status(error.status).send(error.toBody());
    const fe = error as FastifyError;
    if (fe.validation) {
      const e = new AppError(400, 'invalid_input', 'The request has invalid fields.', 'Yêu cầu có trường không hợp lệ.', fieldErrorsFromAjv(fe.validation as never, fe.validationContext ?? 'body'));
      return reply.status(400).send(e.toBody());
    }
    const known: Record<string, [number, string, string, string]> = {
      FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json', 'The body is not valid JSON.', 'Nội dung gửi lên không phải JSON hợp lệ.'],
      FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid_json', 'The JSON body is empty.', 'Nội dung JSON bị trống.'],
      FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body_too_large', 'The request body is too large.', 'Nội dung gửi lên quá lớn.'],
      FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'This content type is not accepted here.', 'Kiểu nội dung này không được chấp nhận.'],
      FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_content_length', 'Invalid Content-Length.', 'Content-Length không hợp lệ.'],
      FST_ERR_CTP_INVALID_TYPE: [400, 'invalid_content_type', 'Invalid Content-Type.', 'Content-Type không hợp lệ.'],
    };
    const hit = fe.code ? known[fe.code] : undefined;
    if (hit) return reply.status(hit[0]).send(new AppError(hit[0], hit[1], hit[2], hit[3]).toBody());
    if (error instanceof SyntaxError && fe.statusCode === 400) {
      return reply.status(400).send(new AppError(400, 'invalid_json', 'The body is not valid JSON.', 'Nội dung gửi lên không phải JSON hợp lệ.').toBody());
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply
        .status(fe.statusCode)
        .send(new AppError(fe.statusCode, 'bad_request', fe.message, 'Yêu cầu không hợp lệ.').toBody());
    }
    request.log.error({ err: error }, 'unhandled error');
    if (process.env.MOTCUA_DEBUG_500) console.error(error);
    return reply
      .status(500)
      .send(new AppError(500, 'internal_error', 'An unexpected error occurred; it has been logged.', 'Đã xảy ra lỗi không mong muốn; lỗi đã được ghi lại.').toBody());
  });

  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .send(new AppError(404, 'not_found', `No such address: ${request.method} ${request.url.split('?')[0]}`, `Không có địa chỉ: ${request.method} ${request.url.split('?')[0]}`).toBody());
  });

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'motcua API',
        description: 'Hệ thống một cửa: thủ tục hành chính, hồ sơ, lịch làm việc / One-stop administrative procedure system.',
        version: opts.version,
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'motcua_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  return app;
}

/** The standard error body, for response schemas. */
export { ErrorBody } from './schemas.js';
