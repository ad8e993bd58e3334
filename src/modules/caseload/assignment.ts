/**
 * The one assignment function: which Topteam gets an accepted registration. Today: the team
 * of the school's windstreek (the home team). The overflow issue replaces the choice with a
 * capacity-aware, locked one; callers stay the same: they call this inside the act's
 * transaction, with the trajectory row already locked.
 */
import { EntityManager } from 'typeorm';
import { conflict } from '../../graphql/errors';
import { Topteam } from '../topteams/topteam.entity';
import { Trajectory } from '../trajectories/trajectory.entity';

export interface Assignment {
  teamId: string;
  reason: string;
}

/** Chooses the team for `trajectory` and stores it on the row; returns the choice and why. */
export async function assignTeam(tx: EntityManager, trajectory: Trajectory): Promise<Assignment> {
  const home = await tx
    .getRepository(Topteam)
    .createQueryBuilder('team')
    .where('team.partnershipId = :partnershipId AND team.windstreekId = :windstreekId', {
      partnershipId: trajectory.partnershipId,
      windstreekId: trajectory.windstreekId,
    })
    .orderBy('team.name', 'ASC')
    .addOrderBy('team.id', 'ASC')
    .getOne();
  if (!home) throw conflict('No Topteam serves the windstreek of this school yet: ask the administrator to create one.');
  // Raw on purpose: the act has already bumped the version of the locked row once.
  await tx.query('UPDATE trajectory SET team_id = $1 WHERE id = $2', [home.id, trajectory.id]);
  trajectory.teamId = home.id;
  return { teamId: home.id, reason: `Home team of the windstreek: ${home.name}.` };
}
