/**
 * Chinese resident ID numbers (GB 11643-1999): 6-digit region, 8-digit birth
 * date, 3-digit sequence, and a check character from ISO 7064 MOD 11-2.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** A Chinese reason when the number is not a valid resident ID, else null. */
export function idNumberProblem(raw: string, today = new Date()): string | null {
  const id = raw.trim().toUpperCase();
  if (id.length !== 18) return '身份证号应为 18 位';
  if (!/^\d{17}[\dX]$/.test(id)) return '身份证号前 17 位应为数字，最后一位为数字或 X';
  const y = Number(id.slice(6, 10)), m = Number(id.slice(10, 12)), d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d || y < 1900 || birth > today) {
    return '身份证号中的出生日期不正确';
  }
  if (idCheckChar(id) !== id[17]) return '身份证号校验位不正确';
  return null;
}

/** Builds a valid number from its parts (for demo data and tests). */
export function makeIdNumber(region: string, birth: { y: number; m: number; d: number }, sequence: number): string {
  const first17 = region + String(birth.y).padStart(4, '0') + String(birth.m).padStart(2, '0') + String(birth.d).padStart(2, '0') + String(sequence % 1000).padStart(3, '0');
  return first17 + idCheckChar(first17);
}
