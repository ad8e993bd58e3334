import { SelectQueryBuilder } from 'typeorm';
import { ConsentPurpose } from '../../domain/enums';
import { holdingConsents } from '../../authz/holding-consents';
import type { Context } from '../../graphql/context';
import { whereEquals, unscoped } from '../../graphql/reads';
import { Trajectory } from './trajectory.entity';
import { TrajectoryFilter } from './trajectory.inputs';
import { timelinessSql } from './timeliness';

/** A phase is overdue from the day after its due date (Europe/Amsterdam calendar). */
export function isOverdue(dueOn: string | null, today: string): boolean {
  return dueOn !== null && dueOn < today;
}

/** The trajectory filter as SQL; `overdue` is the SQL twin of `isOverdue`. */
export function narrowTrajectories(ctx: Context, qb: SelectQueryBuilder<Trajectory>, alias: string, filter: TrajectoryFilter | undefined): void {
  if (!filter) return;
  if (filter.phases) qb.andWhere(filter.phases.length ? `"${alias}"."phase" IN (:...phases)` : 'FALSE', { phases: filter.phases });
  whereEquals(qb, alias, { teamId: filter.teamId, schoolId: filter.schoolId, windstreekId: filter.windstreekId });
  if (filter.timeliness) {
    qb.andWhere(filter.timeliness.length ? `(${timelinessSql(`"${alias}"`, ':timelinessToday')}) IN (:...timeliness)` : 'FALSE', {
      timelinessToday: ctx.today, timeliness: filter.timeliness,
    });
  }
  if (filter.unassigned !== undefined && filter.unassigned !== null) {
    const waiting = `("${alias}"."phase" = 'ACCEPTED' AND "${alias}"."team_id" IS NULL)`;
    qb.andWhere(filter.unassigned ? waiting : `NOT ${waiting}`);
  }
  if (filter.mine !== undefined && filter.mine !== null) {
    const staffed = ['behavioural_scientist_user_id', 'teacher_user_id', 'care_worker_user_id'].map((c) => `"${alias}"."${c}" = :mineUserId`).join(' OR ');
    qb.andWhere(filter.mine ? `(${staffed})` : `(${staffed}) IS NOT TRUE`, { mineUserId: ctx.actor.userId });
  }
  if (filter.overdue !== undefined && filter.overdue !== null) {
    const today = ctx.today;
    qb.andWhere(
      filter.overdue
        ? `("${alias}"."phase_due_on" IS NOT NULL AND "${alias}"."phase_due_on" < :today)`
        : `("${alias}"."phase_due_on" IS NULL OR "${alias}"."phase_due_on" >= :today)`,
      { today },
    );
  }
}

/** For each student: does a consent for care by the Topteam hold today? One statement for all. */
export async function careConsentHolds(ctx: Context, studentIds: readonly string[]): Promise<boolean[]> {
  const holding = await holdingConsents(unscoped(ctx, 'whether a care consent holds, for trajectories already read through the rules'), studentIds, [ConsentPurpose.CARE_BY_TOPTEAM], ctx.today);
  const ids = new Set(holding.map((c) => c.studentId));
  return studentIds.map((id) => ids.has(id));
}
