/** Query-string schema of the queue filters, shared by GET /api/work/dossiers and GET /api/work/counts. */
import { Type } from '@sinclair/typebox';
import { FIELD_CODE_PATTERN, PROCEDURE_CODE_PATTERN } from '../catalog/procedures.js';

export const APPLICANT_FILTER_MAX = 100;

export const QueueFilterQuery = {
  procedure: Type.Optional(Type.String({ minLength: 1, maxLength: 40, pattern: PROCEDURE_CODE_PATTERN, description: 'Procedure code (GET /api/procedures).' })),
  field: Type.Optional(Type.String({ minLength: 1, maxLength: 20, pattern: FIELD_CODE_PATTERN, description: 'Field (lĩnh vực) code (GET /api/fields): dossiers of its procedures.' })),
  channel: Type.Optional(Type.Integer({ minimum: 1, maximum: 3, description: '1 in person, 2 online, 3 by post.' })),
  applicant: Type.Optional(
    Type.String({
      minLength: 2,
      maxLength: APPLICANT_FILTER_MAX,
      // Printable text with at least one character that is not a space.
      pattern: '^[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f][^\\u0000-\\u001f\\u007f]*$',
      description:
        'An ID number or phone number (exact; spaces, dots and hyphens ignored; +84… or 0…), otherwise part of the applicant’s name, in any case, with or without diacritics ("tran thi", "Trần").',
    }),
  ),
};
