import { DomainError, ErrorCode } from './errors';

const PATTERN = /^TR-(\d{4})-(\d{5,})$/;

/** `TR-2026-00042`: padded to five digits so references sort and read evenly; grows beyond. */
export function formatReference(year: number, n: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, `A reference year must be a four-digit year, not ${year}.`);
  }
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, `A reference number must be a positive integer, not ${n}.`);
  }
  return `TR-${year}-${String(n).padStart(5, '0')}`;
}

/** Accepts only the canonical form, so every case has exactly one spelling of its reference. */
export function parseReference(s: string): { year: number; n: number } | null {
  const m = PATTERN.exec(s);
  if (!m) return null;
  const year = Number(m[1]);
  const n = Number(m[2]);
  if (year < 1000 || !Number.isSafeInteger(n) || n < 1) return null;
  return formatReference(year, n) === s ? { year, n } : null;
}
