/**
 * authz names its subjects and imports no entity (src/authz/subjects.ts): the names must be
 * exactly the entity classes of the product's list (src/app/entities.ts), but for the
 * idempotency keys and the windstreken's neighbour pairs, which no rule is about (the pairs are
 * read with their windstreek); and a loaded row is recognised by its class.
 */
import 'reflect-metadata';
import { ENTITIES, IdempotencyKey, Student, TrajectoryEvent, WindstreekNeighbour } from '../../src/app/entities';
import { SUBJECTS, subjectOfRow, subjectTypeOf } from '../../src/authz/subjects';

test('every entity but the idempotency keys and the neighbour pairs is a subject, and every subject an entity', () => {
  const entities = ENTITIES.filter((e) => e !== IdempotencyKey && e !== WindstreekNeighbour).map((e) => e.name).sort();
  expect([...SUBJECTS].sort()).toEqual(entities);
});

test('a subject is named by its entity class, and nothing else is a subject', () => {
  expect(subjectTypeOf(Student)).toBe('Student');
  expect(subjectTypeOf('Student')).toBe('Student');
  expect(() => subjectTypeOf(IdempotencyKey)).toThrow('IdempotencyKey is not an authorization subject');
});

test('a loaded row is a subject by its entity class, not by a look-alike name', () => {
  expect(subjectOfRow(new Student())).toBe('Student');
  expect(subjectOfRow(new TrajectoryEvent())).toBe('TrajectoryEvent');
  class Lookalike {}
  Object.defineProperty(Lookalike, 'name', { value: 'Student' });
  expect(subjectOfRow(new Lookalike())).toBeUndefined();
  expect(subjectOfRow({ id: 'x' })).toBeUndefined();
  expect(subjectOfRow(new IdempotencyKey())).toBeUndefined();
  expect(subjectOfRow(null)).toBeUndefined();
});
