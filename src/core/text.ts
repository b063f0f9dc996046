/** Vietnamese text helpers (pure). */

/** Lower-case, without diacritics, đ → d: "Đăng ký Khai sinh" → "dang ky khai sinh". */
export function foldVietnamese(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}
