import { DataSource } from 'typeorm';
import type { AppAbility } from '../authz/ability';
import type { Actor } from '../authz/actor';
import type { Config } from '../config';
import type { Clock } from '../domain/clock';
import type { Loaders } from './loaders';

/** Everything a resolver may use, built once per request. */
export interface Context {
  requestId: string;
  actor: Actor;
  ability: AppAbility;
  dataSource: DataSource;
  loaders: Loaders;
  config: Config;
  clock: Clock;
}
