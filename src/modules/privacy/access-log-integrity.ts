/**
 * `accessLogIntegrity`: the privacy officer checks the access log's chain from the API, as
 * `npm run audit:verify` does on the command line: every hash of the caller's partnership
 * recomputed in order (src/audit/chain.ts, in batches), and the chain checked against the latest
 * signed checkpoint of its head outside the database (src/audit/checkpoints.ts), which shows a
 * tail cut off. The check is itself logged (an AccessLog READ). On a long chain it takes seconds
 * (300,000 entries: about 6 s).
 */
import { Field, Int, ObjectType } from 'type-graphql';
import { ArchiveError, readArchive } from '../../audit/archive';
import { verifyChain } from '../../audit/chain';
import { verifyCheckpoints } from '../../audit/checkpoints';
import { AccessAction, AccessOutcome } from '../../domain/enums';
import { assertCan } from '../../authz/authorize';
import type { Context } from '../../graphql/context';
import { unscoped } from '../../graphql/reads';

@ObjectType({ description: 'The first link of the chain that does not hold (eerste breuk).' })
export class ChainBreak {
  @Field(() => String, { description: 'Sequence number of the entry (volgnummer).' })
  sequence: string;

  @Field(() => String, { description: 'Which value disagrees: previousHash (the link to the entry before) or hash (the entry itself was changed).' })
  field: string;

  @Field(() => String, { nullable: true, description: 'The value the chain requires.' })
  expected: string | null;

  @Field(() => String, { nullable: true, description: 'The value stored.' })
  found: string | null;
}

@ObjectType({ description: 'The result of checking the access log of the partnership (integriteitscontrole).' })
export class AccessLogIntegrity {
  @Field(() => Boolean, { description: 'Whether the chain is intact and reaches its latest signed checkpoint.' })
  intact: boolean;

  @Field(() => Int, { description: 'Entries of the partnership that were checked.' })
  entries: number;

  @Field(() => Date, { description: 'When the check ran.' })
  checkedAt: Date;

  @Field(() => ChainBreak, { nullable: true, description: 'The first broken link; null when every hash holds.' })
  broken: ChainBreak | null;

  @Field(() => Boolean, { description: 'Whether a signed checkpoint of this partnership was found to check the end of the chain against.' })
  checkpointChecked: boolean;

  @Field(() => [String], { description: 'What the checkpoints revealed: entries removed at the end, an entry replaced, a checkpoint line altered.' })
  findings: string[];
}

/** PRIVACY_OFFICER: verifies the caller's partnership's chain and its checkpoints. */
export async function accessLogIntegrity(ctx: Context): Promise<AccessLogIntegrity> {
  const allowed = ctx.ability.can('read', 'AccessLogEntry');
  ctx.access?.note({
    objectType: 'AccessLog', objectId: null, studentId: null,
    action: AccessAction.READ, outcome: allowed ? AccessOutcome.ALLOWED : AccessOutcome.DENIED, fields: ['integrity'],
  });
  assertCan(ctx.ability, 'read', 'AccessLogEntry', null, 'Only the privacy officer checks the access log.');
  const partnershipId = ctx.actor.partnershipId;
  const db = unscoped(ctx, 'the access log\'s chain of the own partnership, read whole to recompute its hashes, for the privacy officer (assertCan above)');
  // Months archived out of the database: the chain is verified from where the archive ends; a
  // manifest that fails its signature is a finding, and the chain is then checked without it.
  let archive: ReturnType<typeof readArchive> = { manifest: null, anchors: new Map(), heads: new Map() };
  const archiveFindings: string[] = [];
  try {
    archive = readArchive({ dir: ctx.config.auditArchive.dir, key: ctx.config.auditCheckpoints.key });
  } catch (error) {
    if (!(error instanceof ArchiveError)) throw error;
    archiveFindings.push(error.message);
  }
  const report = await verifyChain(db, partnershipId, undefined, archive.anchors);
  const checkpoints = await verifyCheckpoints(db, ctx.config.auditCheckpoints, partnershipId, archive.heads);
  const findings = [
    ...archiveFindings,
    ...checkpoints.findings.filter((f) => f.partnershipId === partnershipId || f.partnershipId === null).map((f) => f.problem),
  ];
  return Object.assign(new AccessLogIntegrity(), {
    intact: report.intact && findings.length === 0,
    entries: report.entries,
    checkedAt: ctx.clock.now(),
    broken: report.intact ? null : Object.assign(new ChainBreak(), { sequence: report.broken.sequence, field: report.broken.field, expected: report.broken.expected, found: report.broken.found }),
    checkpointChecked: checkpoints.checked > 0,
    findings,
  });
}
