/**
 * What an official typed into the queue's "applicant" filter: an identifier (a citizen ID number,
 * a business code, a phone number), matched exactly, or a piece of a name, matched as a
 * case- and diacritic-insensitive substring. Names never hold five digits; identifiers always do.
 */

export type ApplicantQuery =
  | {
      kind: 'identifier';
      /** Values to compare with applicant_id_number (as typed, and upper-cased). */
      idNumbers: string[];
      /** Values to compare with applicant_phone (as typed, and +84… written as 0…). */
      phones: string[];
    }
  | {
      kind: 'name';
      /** A LIKE pattern '%…%' with %, _ and \ escaped (fold both sides before comparing). */
      likePattern: string;
    };

/** Spaces, dots and hyphens people put in numbers ("0905 123 456", "066.190.000.777"). */
const NUMBER_SEPARATORS = /[\s.-]/g;

export function classifyApplicantQuery(raw: string): ApplicantQuery {
  const text = raw.trim().replace(/\s+/g, ' ');
  const compact = text.replace(NUMBER_SEPARATORS, '');
  const digits = compact.replace(/\D/g, '').length;
  if (/^\+?[0-9A-Za-z]{6,20}$/.test(compact) && digits >= 5) {
    const plus = compact.startsWith('+');
    const bare = plus ? compact.slice(1) : compact;
    const idNumbers = plus ? [] : unique([bare, bare.toUpperCase()]);
    const phones: string[] = [];
    if (/^[0-9]+$/.test(bare)) {
      phones.push(compact);
      // Stored phones are written as dialled at home (0…); accept the international form too.
      if (bare.startsWith('84') && bare.length >= 10) phones.push(`0${bare.slice(2)}`);
      if (!plus && bare.startsWith('0')) phones.push(`+84${bare.slice(1)}`);
    }
    return { kind: 'identifier', idNumbers, phones: unique(phones) };
  }
  return { kind: 'name', likePattern: `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` };
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
