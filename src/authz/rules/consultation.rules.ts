/** Advice (step 1) and pre-consultations (step 2). */
import { ConsultationKind, Role, TeamFunction } from '../../domain/enums';
import { scopeIds } from '../actor';
import type { RuleSet } from '../ability';

export const consultationRules: RuleSet = ({ actor, can }) => {
  // A school coordinator asks for advice and organises pre-consultations for the own school.
  const schools = scopeIds(actor, Role.SCHOOL_COORDINATOR, 'schoolId');
  if (schools.length) can(['read', 'create'], 'Consultation', { schoolId: { $in: schools } });

  // The advisor joins the pre-consultations of the own windstreek
  const windstreken = scopeIds(actor, Role.EDUCATION_ADVISOR, 'windstreekId');
  // and records the outcome of a pre-consultation (not of advice: that is the gedragswetenschapper's).
  if (windstreken.length) {
    can('read', 'Consultation', { windstreekId: { $in: windstreken } });
    can('update', 'Consultation', { windstreekId: { $in: windstreken }, kind: ConsultationKind.PRE_CONSULTATION });
  }

  // The gedragswetenschapper advises the schools of the team's windstreek.
  const scientistWindstreken = scopeIds(actor, Role.TEAM_MEMBER, 'topteamWindstreekId', TeamFunction.BEHAVIOURAL_SCIENTIST);
  if (scientistWindstreken.length) {
    can(['read', 'update'], 'Consultation', { windstreekId: { $in: scientistWindstreken } });
  }
};
