/**
 * Errors a person may see. Each carries a stable code, an English and a Vietnamese message and,
 * for input problems, the fields concerned. Routes turn them into
 * `{ "error": { "code", "message", "messageVi", "fields"? } }` with the HTTP status.
 */
export interface FieldError {
  field: string;
  message: string;
  messageVi: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly messageVi: string,
    readonly fields?: FieldError[],
  ) {
    super(message);
    this.name = 'AppError';
  }

  toBody(): { error: { code: string; message: string; messageVi: string; fields?: FieldError[] } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        messageVi: this.messageVi,
        ...(this.fields?.length ? { fields: this.fields } : {}),
      },
    };
  }
}

export const badRequest = (code: string, message: string, messageVi: string, fields?: FieldError[]) =>
  new AppError(400, code, message, messageVi, fields);

export const invalidField = (field: string, message: string, messageVi: string) =>
  new AppError(400, 'invalid_input', `${field}: ${message}`, `${field}: ${messageVi}`, [
    { field, message, messageVi },
  ]);

export const notFound = (what: string, whatVi: string, id: string) =>
  new AppError(404, 'not_found', `${what} "${id}" was not found.`, `Không tìm thấy ${whatVi} "${id}".`);

export const unauthorized = () =>
  new AppError(
    401,
    'unauthenticated',
    'Please log in to continue.',
    'Vui lòng đăng nhập để tiếp tục.',
  );

export const forbidden = (message = 'You are not allowed to do this.', messageVi = 'Bạn không có quyền thực hiện thao tác này.') =>
  new AppError(403, 'forbidden', message, messageVi);

export const conflict = (code: string, message: string, messageVi: string) =>
  new AppError(409, code, message, messageVi);
