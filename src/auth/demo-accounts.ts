/**
 * The demo accounts: the demo data (src/demo/seed.ts) creates its users under this e-mail
 * domain, and outside production the dashboard page hands development tokens
 * (`mintDevelopmentToken`, ./authenticate.ts) only to them.
 */

export const DEMO_DOMAIN = 'demo.toptrajecten.test';

/** The e-mail (and token subject) of a demo user, e.g. `demoEmail('advisor.noord')`. */
export function demoEmail(localPart: string): string {
  return `${localPart}@${DEMO_DOMAIN}`.toLowerCase();
}
