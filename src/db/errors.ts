import { QueryFailedError } from 'typeorm';
import { conflict } from '../domain/errors';

/** PostgreSQL's unique_violation. */
const UNIQUE_VIOLATION = '23505';

/** Runs `write`; a unique violation becomes CONFLICT with `message` (no constraint names leak). */
export async function uniqueOr<T>(write: () => Promise<T>, message: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof QueryFailedError && (error.driverError as { code?: string })?.code === UNIQUE_VIOLATION) {
      throw conflict(message);
    }
    throw error;
  }
}

