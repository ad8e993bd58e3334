import { SelectQueryBuilder } from 'typeorm';
import { Arg, Args, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { aboutStudentSql, stoodOnConsentSql } from '../../audit/access-recorder';
import { Guarded } from '../../graphql/policy';
import { AccessAction, AccessOutcome } from '../../domain/enums';
import type { Context } from '../../graphql/context';
import { forbidden } from '../../graphql/errors';
import { Connection, ConnectionArgs, IN_SEQUENCE, NEWEST_FIRST, connectionType } from '../../graphql/pagination';
import { listPage, parseId, whereEquals } from '../../graphql/reads';
import { belongsTo } from '../../graphql/relations';
import { Consent } from '../consents/consent.entity';
import { Student } from '../students/student.entity';
import { User } from '../users/user.entity';
import { AccessLogEntry } from './access-log-entry.entity';
import { DataSubjectRequest } from './data-subject-request.entity';
import {
  carryOutErasure, carryOutRectification, completeDataSubjectRequest, extendDataSubjectRequest, isOverdue, listDataSubjectRequests, receiveDataSubjectRequest, rejectDataSubjectRequest,
  verifyRequesterIdentity,
} from './data-subject-request.service';
import {
  AccessLogFilter, CarryOutErasureInput, CarryOutRectificationInput, DataSubjectRequestFilter, DataSubjectRequestRef, ExtendDataSubjectRequestInput, ReceiveDataSubjectRequestInput,
  RejectDataSubjectRequestInput,
} from './privacy.inputs';
import { StudentExport, exportStudent } from './student-export';
import { AccessLogIntegrity, accessLogIntegrity } from './access-log-integrity';
import { ErasedRows } from './retention.resolver';
import { RetentionActionKind } from './retention/index';

const AccessLogConnection = connectionType(AccessLogEntry, 'access-log entries');

/**
 * Narrows the log to entries about an object (type, id or both): an entry about that object
 * itself, or an entry about students that covered it (`objects`, "Type:id", a student of an
 * entry about several as "Student:id": src/audit/access-recorder.ts `perStudent`,
 * `acrossStudents`). Type and id together use the GIN index on `objects`.
 */
function whereCovers(qb: SelectQueryBuilder<AccessLogEntry>, alias: string, objectType: string | undefined, objectId: string | undefined): void {
  if (!objectType && !objectId) return;
  const params: Record<string, string> = {};
  if (objectType) params.cover_type = objectType;
  if (objectId) params.cover_id = objectId.toLowerCase();
  const own = [objectType ? `"${alias}"."object_type" = :cover_type` : null, objectId ? `"${alias}"."object_id" = CAST(:cover_id AS uuid)` : null].filter(Boolean).join(' AND ');
  const covered = objectType && objectId
    ? `"${alias}"."objects" @> ARRAY[CAST(:cover_object AS text)]`
    : `EXISTS (SELECT 1 FROM unnest("${alias}"."objects") o WHERE split_part(o, ':', ${objectType ? 1 : 2}) = CAST(${objectType ? ':cover_type' : ':cover_id'} AS text))`;
  if (objectType && objectId) params.cover_object = `${objectType}:${params.cover_id}`;
  qb.andWhere(`((${own}) OR ${covered})`, params);
}
const DataSubjectRequestConnection = connectionType(DataSubjectRequest, 'data-subject requests');
belongsTo(AccessLogEntry, 'user', User, 'userId', 'Who acted (gebruiker).');
belongsTo(AccessLogEntry, 'student', Student, 'studentId', 'The student concerned (betrokkene).');
belongsTo(AccessLogEntry, 'consent', Consent, 'consentId', 'The consent record the access stood on (gebruikte toestemming); null when the legal basis is not CONSENT, and on an entry about several students, which names each one\'s in `consents`.');
belongsTo(DataSubjectRequest, 'student', Student, 'studentId', 'The student the request is about.');
belongsTo(DataSubjectRequest, 'handledBy', User, 'handledByUserId', 'Who handles the request.');

const INPUT = { description: 'What to do.' };

@ObjectType({ description: 'A rectification request carried out (rectificatie uitgevoerd).' })
export class RectificationResult {
  @Field(() => DataSubjectRequest, { description: 'The request, now COMPLETED, its resolution naming the fields corrected.' })
  request: DataSubjectRequest;

  @Field(() => Student, { description: 'The student as corrected.' })
  student: Student;

  @Field(() => [String], { description: "The fields corrected: of the student givenName, familyName, studentNumber, birthDate; of its guardians guardians.name, guardians.relationship (which guardians: the request's resolution)." })
  correctedFields: string[];
}

@ObjectType({ description: 'One dossier erased on an erasure request (or that would be, in a dry run).' })
export class ErasedRecord {
  @Field(() => RetentionActionKind, { description: 'What was done: the same actions as a retention run.' })
  kind: RetentionActionKind;

  @Field(() => ID, { description: 'The trajectory, consultation or student.' })
  recordId: string;

  @Field(() => [ErasedRows], { description: 'Rows erased with it (empty in a dry run).' })
  erased: ErasedRows[];
}

@ObjectType({ description: 'A record (or group of records) kept on an erasure request, and why (bewaard, met reden).' })
export class KeptRecord {
  @Field(() => String, { description: 'The record type: Trajectory, Consultation, Student, Consent, AccessLogEntry or DataSubjectRequest.' })
  type: string;

  @Field(() => ID, { nullable: true, description: 'The record; null for a group counted as a whole (consents, access-log entries, requests).' })
  recordId: string | null;

  @Field(() => Int, { description: 'How many records.' })
  count: number;

  @Field(() => String, { description: 'Why it is kept: running care, a legal hold, or a legal duty of accountability.' })
  reason: string;
}

@ObjectType({ description: 'An erasure request carried out (verwijdering uitgevoerd), or its dry run.' })
export class ErasureResult {
  @Field(() => DataSubjectRequest, { description: 'The request: COMPLETED with its resolution, or unchanged after a dry run.' })
  request: DataSubjectRequest;

  @Field(() => Boolean, { description: 'true: nothing was changed; erased lists what would be erased.' })
  dryRun: boolean;

  @Field(() => [ErasedRecord], { description: 'What was erased: ended trajectories, then consultations, then the identity.' })
  erased: ErasedRecord[];

  @Field(() => [KeptRecord], { description: 'What was kept, and why.' })
  kept: KeptRecord[];
}

@Resolver(() => DataSubjectRequest)
export class PrivacyResolver {
  @Guarded('AccessLogEntry', 'read')
  @Query(() => AccessLogConnection, { description: 'PRIVACY_OFFICER: the access log (NEN 7513), newest first.' })
  accessLog(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => AccessLogFilter, { nullable: true, description: 'Narrow the list; all given conditions must hold.' }) filter: AccessLogFilter | undefined,
    @Ctx() ctx: Context,
  ): Promise<Connection<AccessLogEntry>> {
    const studentId = filter?.studentId ? parseId(filter.studentId, 'filter.studentId') : undefined;
    const consentId = filter?.consentId ? parseId(filter.consentId, 'filter.consentId') : undefined;
    return listPage(ctx, AccessLogEntry, args, NEWEST_FIRST, (qb, alias) => {
      whereEquals(qb, alias, {
        userId: filter?.userId, action: filter?.action, outcome: filter?.outcome,
        role: filter?.role, legalBasis: filter?.legalBasis,
      });
      if (studentId) qb.andWhere(aboutStudentSql(alias, ':about_student'), { about_student: studentId });
      if (consentId) qb.andWhere(stoodOnConsentSql(alias, ':stood_on_consent'), { stood_on_consent: consentId });
      whereCovers(qb, alias, filter?.objectType, filter?.objectId);
      if (filter?.from) qb.andWhere(`"${alias}"."created_at" >= :filter_from`, { filter_from: filter.from });
      if (filter?.until) qb.andWhere(`"${alias}"."created_at" < :filter_until`, { filter_until: filter.until });
    });
  }

  @Guarded('AccessLogEntry', 'read')
  @Query(() => AccessLogConnection, {
    description: 'PRIVACY_OFFICER: "who saw my data" for one student: every access-log entry about the student (who: `user`, `role`; what: `action`, `objectType`, `fields`; when: `createdAt`; on which basis: `legalBasis`), oldest first. FORBIDDEN for other roles. Itself logged.',
  })
  async studentAccessOverview(
    @Arg('studentId', () => ID, { description: 'The student (betrokkene).' }) studentIdArg: string,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: Context,
  ): Promise<Connection<AccessLogEntry>> {
    const studentId = parseId(studentIdArg, 'studentId');
    const allowed = ctx.ability.can('read', 'AccessLogEntry');
    // Reading the log is itself logged (README, "Access log").
    ctx.access?.note({
      objectType: 'AccessLog', objectId: null, studentId,
      action: AccessAction.SEARCH, outcome: allowed ? AccessOutcome.ALLOWED : AccessOutcome.DENIED, fields: ['filter.studentId'],
    });
    if (!allowed) throw forbidden('Only the privacy officer reads the access log.');
    return listPage(ctx, AccessLogEntry, args, IN_SEQUENCE, (qb, alias) => qb.andWhere(aboutStudentSql(alias, ':about_student'), { about_student: studentId }));
  }

  @Guarded('AccessLogEntry', 'read')
  @Query(() => AccessLogIntegrity, {
    description: 'PRIVACY_OFFICER: checks the access log of the partnership: every hash recomputed in order, and the end of the chain against the latest signed checkpoint outside the database (as npm run audit:verify). Seconds on a long log. Itself logged. FORBIDDEN for other roles.',
  })
  accessLogIntegrity(@Ctx() ctx: Context): Promise<AccessLogIntegrity> {
    return accessLogIntegrity(ctx);
  }

  @Guarded('Partnership', 'supervise')
  @Query(() => StudentExport, {
    description: 'PRIVACY_OFFICER: everything held on one student of the partnership (inzage, AVG art. 15), every table that refers to the student directly or through other rows, found from the entity metadata. Logged as an EXPORT. FORBIDDEN for other roles; NOT_FOUND for a student outside the partnership.',
  })
  studentExport(@Arg('studentId', () => ID, { description: 'The student (betrokkene).' }) studentId: string, @Ctx() ctx: Context): Promise<StudentExport> {
    return exportStudent(ctx, studentId);
  }

  @Guarded('DataSubjectRequest', 'read')
  @Query(() => DataSubjectRequestConnection, { description: 'PRIVACY_OFFICER: data-subject requests, newest first.' })
  dataSubjectRequests(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => DataSubjectRequestFilter, { nullable: true, description: 'Narrow the list; all given conditions must hold.' }) filter: DataSubjectRequestFilter | undefined,
    @Ctx() ctx: Context,
  ): Promise<Connection<DataSubjectRequest>> {
    return listDataSubjectRequests(ctx, args, filter);
  }

  @Guarded('DataSubjectRequest', 'create')
  @Mutation(() => DataSubjectRequest, { description: 'PRIVACY_OFFICER: register a received data-subject request (verzoek ontvangen); due one month after receipt. FORBIDDEN for other roles.' })
  receiveDataSubjectRequest(@Arg('input', () => ReceiveDataSubjectRequestInput, INPUT) input: ReceiveDataSubjectRequestInput, @Ctx() ctx: Context): Promise<DataSubjectRequest> {
    return receiveDataSubjectRequest(ctx, input);
  }

  @Guarded('DataSubjectRequest', 'update')
  @Mutation(() => DataSubjectRequest, { description: "PRIVACY_OFFICER: record that the requester's identity was verified (identiteit vastgesteld). CONFLICT when already verified; INVALID_TRANSITION when closed." })
  verifyRequesterIdentity(@Arg('input', () => DataSubjectRequestRef, INPUT) input: DataSubjectRequestRef, @Ctx() ctx: Context): Promise<DataSubjectRequest> {
    return verifyRequesterIdentity(ctx, input);
  }

  @Guarded('DataSubjectRequest', 'update')
  @Mutation(() => DataSubjectRequest, { description: 'PRIVACY_OFFICER: extend the deadline once (verlengen), to three months after receipt in total, with a reason, within the first month. INVALID_TRANSITION when already extended, too late or closed.' })
  extendDataSubjectRequest(@Arg('input', () => ExtendDataSubjectRequestInput, INPUT) input: ExtendDataSubjectRequestInput, @Ctx() ctx: Context): Promise<DataSubjectRequest> {
    return extendDataSubjectRequest(ctx, input);
  }

  @Guarded('DataSubjectRequest', 'update')
  @Mutation(() => DataSubjectRequest, { description: "PRIVACY_OFFICER: complete the request (afhandelen). INVALID_TRANSITION before the requester's identity is verified or when closed." })
  completeDataSubjectRequest(@Arg('input', () => DataSubjectRequestRef, INPUT) input: DataSubjectRequestRef, @Ctx() ctx: Context): Promise<DataSubjectRequest> {
    return completeDataSubjectRequest(ctx, input);
  }

  @Guarded('DataSubjectRequest', 'update')
  @Mutation(() => DataSubjectRequest, { description: 'PRIVACY_OFFICER: reject an open request (afwijzen). INVALID_TRANSITION when closed.' })
  rejectDataSubjectRequest(@Arg('input', () => RejectDataSubjectRequestInput, INPUT) input: RejectDataSubjectRequestInput, @Ctx() ctx: Context): Promise<DataSubjectRequest> {
    return rejectDataSubjectRequest(ctx, input);
  }

  @Guarded('DataSubjectRequest', 'update')
  @Mutation(() => RectificationResult, {
    description: "PRIVACY_OFFICER: carry out a rectification request (rectificatie, AVG art. 16): correct the request's student's names, student number or birth date and its guardians' names and relationship, and complete the request in one transaction; logged as a CHANGE of the student (and of each guardian). The privacy officer corrects identity only this way. A corrected birth date changes no consent: the age rule judges them by it from then on (needsReconfirmation). INVALID_TRANSITION when the requester's identity is not verified, the request is closed or not a RECTIFICATION; BAD_USER_INPUT without a field, for a birth date in the future or outside the school age (8 to 25), or a guardian named twice; NOT_FOUND for a guardian not of the request's student; CONFLICT on a student number in use at the school; nothing changes then.",
  })
  carryOutRectification(@Arg('input', () => CarryOutRectificationInput, INPUT) input: CarryOutRectificationInput, @Ctx() ctx: Context): Promise<RectificationResult> {
    return carryOutRectification(ctx, input);
  }

  @Guarded('DataSubjectRequest', 'update')
  @Mutation(() => ErasureResult, {
    description: "PRIVACY_OFFICER: carry out an erasure request (verwijdering, AVG art. 17) for the request's student, by the retention run's own actions: ended trajectories' case records erased and the trajectories pseudonymised, consultations anonymised, then the identity pseudonymised and the guardians deleted; kept, with the reason: running registrations and care, records on legal hold (and the identity while they refer to it), consent records, the access log, the requests. One transaction; the request completed with what was done; each erased dossier logged as a CHANGE. With dryRun nothing changes and the request stays open. INVALID_TRANSITION when the requester's identity is not verified, the request is closed or not an ERASURE.",
  })
  async carryOutErasure(@Arg('input', () => CarryOutErasureInput, INPUT) input: CarryOutErasureInput, @Ctx() ctx: Context): Promise<ErasureResult> {
    const { request, dryRun, plan } = await carryOutErasure(ctx, input);
    return {
      request,
      dryRun,
      erased: plan.actions.map((a) => ({ kind: a.kind, recordId: a.recordId, erased: Object.entries(a.erased).map(([type, count]) => ({ type, count })) })),
      kept: plan.kept,
    };
  }

  @FieldResolver(() => Boolean, { description: 'Open (not COMPLETED or REJECTED) and due before today in Amsterdam (te laat).' })
  overdue(@Root() request: DataSubjectRequest, @Ctx() ctx: Context): boolean {
    return isOverdue(request, ctx.today);
  }
}
