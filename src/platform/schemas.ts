/** Shared TypeBox schemas for HTTP routes. */
import { Type, type TSchema } from '@sinclair/typebox';

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      messageVi: Type.String(),
      fields: Type.Optional(
        Type.Array(Type.Object({ field: Type.String(), message: Type.String(), messageVi: Type.String() })),
      ),
    }),
  },
  { $id: 'ErrorBody', description: 'Error in English (message) and Vietnamese (messageVi).' },
);

/** Response map with the usual error statuses documented. */
export function withErrors<T extends Record<number, TSchema>>(ok: T) {
  return {
    ...ok,
    400: ErrorBody,
    401: ErrorBody,
    403: ErrorBody,
    404: ErrorBody,
    409: ErrorBody,
  };
}

/** Opaque keyset cursor. */
export const Cursor = Type.String({ maxLength: 200, pattern: '^[A-Za-z0-9_-]*$', description: 'Opaque cursor from the previous page.' });

export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): unknown[] | null {
  if (!cursor) return null;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    return Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}
