const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `value` has the shape of our ids (UUIDs). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
