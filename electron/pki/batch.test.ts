import { describe, expect, it } from 'vitest';
import { batchCsvWarnings, parseBatchCsv } from './batch';

describe('batch CSV columns the batch does not read (finding 16)', () => {
  it('names the extra fields of a line with more fields than the header', () => {
    const csv = 'cn,sans,days\nl.example.com,DNS:l.example.com,90,extra\nm.example.com,,30\n';
    expect(parseBatchCsv(csv)).toEqual([
      { line: 2, subject: 'l.example.com', sans: ['DNS:l.example.com'], days: 90 },
      { line: 3, subject: 'm.example.com', sans: [], days: 30 },
    ]);
    expect(batchCsvWarnings(csv)).toEqual([
      'Line 2 has 4 fields but the header names 3 columns; "extra" is ignored (quote a field that holds a comma).',
    ]);
  });

  it('names header columns it does not know, and a cn beside a subject', () => {
    const csv =
      'subject,CN,sans,owner,ou\n"CN=a.example,O=Acme",a.example,DNS:a.example,alice,ops\n';
    expect(batchCsvWarnings(csv)).toEqual([
      'The CSV columns "owner", "ou" are ignored: a batch reads only cn or subject, sans and days.',
      'The CSV has both "subject" and "cn" columns; "cn" is ignored.',
    ]);
  });

  it('has nothing to say about a CSV it reads whole', () => {
    expect(batchCsvWarnings('cn,sans,days\nx.example,"DNS:x.example;DNS:y.example",90\n')).toEqual(
      [],
    );
  });
});

describe('bad batch lines fail alone (newcomer finding N5)', () => {
  it('marks a line whose days is not a whole number instead of refusing the whole CSV', () => {
    const rows = parseBatchCsv('cn,days\nok.example,90\nbad.example,abc\nalso-ok.example,\n');
    expect(rows.map((row) => [row.line, row.problem])).toEqual([
      [2, undefined],
      [3, 'days must be a whole number, not "abc"'],
      [4, undefined],
    ]);
  });

  it('shortens a huge value in the line problem', () => {
    const [row] = parseBatchCsv(`cn,days\nx.example,${'9x'.repeat(3000)}\n`);
    expect(row!.problem!.length).toBeLessThan(300);
    expect(row!.problem).toMatch(/… \(6000 characters\)/);
  });
});
