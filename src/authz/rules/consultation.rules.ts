/** Advice (step 1) and pre-consultations (step 2). */
import { Role, TeamFunction } from '../../domain/enums';
import { scopeIds } from '../actor';
import type { RuleSet } from '../ability';

export const consultationRules: RuleSet = ({ actor, can }) => {
  // A school coordinator asks for advice and organises pre-consultations for the own school.
  const schools = scopeIds(actor, Role.SCHOOL_COORDINATOR, 'schoolId');
  if (schools.length) can(['read', 'create'], 'Consultation', { schoolId: { $in: schools } });

  // The advisor joins the pre-consultations of the own windstreek and records their outcome; a
  // school may also ask the advisor for advice (step 1: "de gedragswetenschapper … of de
  // onderwijsadviseur"), so the advisor answers advice requests of the windstreek too.
  const windstreken = scopeIds(actor, Role.EDUCATION_ADVISOR, 'windstreekId');
  if (windstreken.length) {
    can(['read', 'update'], 'Consultation', { windstreekId: { $in: windstreken } });
  }

  // The gedragswetenschapper advises the schools of the team's windstreek.
  const scientistWindstreken = scopeIds(actor, Role.TEAM_MEMBER, 'topteamWindstreekId', TeamFunction.BEHAVIOURAL_SCIENTIST);
  if (scientistWindstreken.length) {
    can(['read', 'update'], 'Consultation', { windstreekId: { $in: scientistWindstreken } });
  }
};
