/**
 * The access log's append travels with the COMMIT as a statement of literals
 * (src/audit/access-log-writer.ts). Its literals are written by `sqlLiteral`, which must write
 * exactly what the driver's `escapeLiteral` writes, and PostgreSQL must read every one of them
 * back as the text it was: quotes, backslashes, `E'…'`-lookalikes, newlines, any Unicode.
 */
import fc from 'fast-check';
import { Client, escapeLiteral } from 'pg';
import { sqlLiteral } from '../../src/audit/access-log-writer';

const tricky = ["", "'", "''", "\\", "\\'", "'\\", "a'b\\c", " E'x'", "\\\\n", "line\nbreak", "tab\there", "😀 ümlaut", "$$", "--", "/*", "x'); DROP TABLE t; --"];
const texts = fc.oneof(fc.constantFrom(...tricky), fc.string({ unit: 'grapheme' }), fc.string({ unit: fc.constantFrom("'", '\\', 'a', 'E', ' ', '\n') }));

describe('sqlLiteral', () => {
  it('writes what the driver\'s escapeLiteral writes', () => {
    fc.assert(fc.property(texts, (text) => {
      expect(sqlLiteral(text)).toBe(escapeLiteral(text));
    }), { numRuns: 2000 });
  });

  it('is read back by PostgreSQL as the text it was', async () => {
    const client = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
    try {
      // PostgreSQL's text holds no NUL character (a canonical text never has one: JSON escapes it).
      const samples = [...tricky, ...fc.sample(texts, 300)].filter((t) => !t.includes('\u0000'));
      const { rows } = await client.query(`SELECT ARRAY[${samples.map((t) => `${sqlLiteral(t)}::text`).join(', ')}] AS back`);
      expect(rows[0].back).toEqual(samples);
    } finally {
      await client.end();
    }
  });
});
