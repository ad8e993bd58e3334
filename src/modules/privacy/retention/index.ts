/**
 * Retention (bewaartermijnen, AVG rule 7): the retention rules and the retention run, one file
 * per job. This file owns only the map below and the public surface: `npm run retention`
 * (../retention.cli.ts), the privacy officer's `runRetention` and `setLegalHold` mutations
 * (../retention.resolver.ts) and the tests import from here. The trajectory workflow (which
 * stamps the class and start event when a trajectory ends, via `retentionFor`), the consultation
 * service (which stamps them when an outcome is recorded, via `consultationRetention`) and the
 * demo data import ./policy.ts directly.
 *
 * - ./policy.ts: the classes and start events (which term applies to what) and the boundary of
 *   a term; no database.
 * - ./actions.ts: the vocabulary of a run (action kinds, an action, the report, the options).
 * - ./plan.ts: what is due as of a day in one partnership, and what waits for what (reads only).
 * - ./pseudonymise-trajectory.ts, ./anonymise-consultation.ts, ./pseudonymise-student.ts: the
 *   appliers, what happens to one due dossier, re-checked under its row lock.
 * - ./run.ts: the run (plan, then one transaction per dossier in order; or a dry run).
 * - ./log.ts: the access-log entries of what a run did.
 * - ./legal-hold.ts: setting and releasing the legal hold that keeps a record from the run.
 * - ./erasure.ts: erasure on a data-subject request (art. 17): the same appliers, without waiting
 *   for the term, and what is kept and why.
 *
 * Kept on purpose (accountability, art. 5(2) AVG): consent records (including their grantors)
 * and the access log, which is append-only anyway; no file here erases them.
 */
export { RetentionActionKind } from './actions';
export type { RetentionAction, RetentionReport, RetentionRunOptions } from './actions';
export { CONSULTATION_CASE_FIELDS, CONSULTATION_ERASED_MARKER } from './anonymise-consultation';
export { changeLegalHold, setLegalHold } from './legal-hold';
export type { LegalHoldChange } from './legal-hold';
export { appendRetentionLog, retentionLogEntries } from './log';
export type { RetentionLogEntry } from './log';
export { planRetention } from './plan';
export { consultationRetention, isPastTerm, retentionEndsOn, retentionFor } from './policy';
export type { RetentionStamp } from './policy';
export { CASE_RECORD_ENTITIES } from './pseudonymise-trajectory';
export { applyErasure, KEPT_REASONS, planErasure } from './erasure';
export type { ErasurePlan, KeptRecord } from './erasure';
export { runRetention } from './run';
