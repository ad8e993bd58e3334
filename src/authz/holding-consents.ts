/**
 * Which consents hold, read in SQL with the one spelling of "holds" (./consent-holds.ts,
 * `consentHolds`, translated by the rules translator). Read without the caller's ability: these
 * are facts the product needs (does the registration have its consents, does the Topteam's care
 * consent hold, which consent did an access stand on), not answers shown to the caller.
 */
import { DataSource } from 'typeorm';
import { ConsentPurpose } from '../domain/enums';
import { conditionWhere } from './accessible';
import { consentHolds } from './consent-holds';

export interface HoldingConsent {
  id: string;
  studentId: string;
  purpose: ConsentPurpose;
}

/**
 * The consents for `purposes` of `studentIds` that hold on `today`, newest given first per
 * student and purpose. One statement; none when there is nothing to ask.
 */
export async function holdingConsents(
  dataSource: DataSource,
  studentIds: readonly string[],
  purposes: readonly ConsentPurpose[],
  today: string,
): Promise<HoldingConsent[]> {
  if (studentIds.length === 0 || purposes.length === 0) return [];
  const holds = conditionWhere(dataSource, 'Consent', consentHolds(today), 'hc', 'holds_');
  return dataSource
    .getRepository('Consent')
    .createQueryBuilder('hc')
    .select('hc.id', 'id')
    .addSelect('hc.studentId', 'studentId')
    .addSelect('hc.purpose', 'purpose')
    .where('hc.studentId IN (:...holdStudentIds) AND hc.purpose IN (:...holdPurposes)', { holdStudentIds: [...new Set(studentIds)], holdPurposes: [...purposes] })
    .andWhere(holds.sql, holds.params)
    .orderBy('hc.studentId')
    .addOrderBy('hc.purpose')
    .addOrderBy('hc.givenAt', 'DESC')
    .addOrderBy('hc.id', 'DESC')
    .getRawMany();
}
