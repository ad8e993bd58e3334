import { createHmac } from 'node:crypto';

/**
 * The stable per-partnership pseudonym of a student: an HMAC of partnership and student id
 * under `PSEUDONYM_KEY`. Stable (same input, same pseudonym), not reversible without the
 * key, and different per partnership, so two partnerships cannot link their records.
 */
export function studentPseudonym(key: string, partnershipId: string, studentId: string): string {
  const digest = createHmac('sha256', key).update(`${partnershipId}:${studentId}`).digest('hex');
  return `LL-${digest.slice(0, 12).toUpperCase()}`;
}
