import { describe, expect, it } from 'vitest';
import { logEntries, parseLogLine, readableLogLine } from './log-lines';

const edgeLine =
  '{"level":"warn","time":"2026-03-02T09:15:04.120Z","site":"gangnam","code":1006,"msg":"cloud link closed (1006)"}';

describe('service log lines', () => {
  it('reads a JSON entry, and leaves anything else (a stack trace, plain text) as no entry', () => {
    expect(parseLogLine(edgeLine)).toMatchObject({ level: 'warn', msg: 'cloud link closed (1006)', code: 1006 });
    for (const other of ['    at main (edge/src/main.ts:3:1)', '{not json', '{"level":"warn"}', ''])
      expect(parseLogLine(other)).toBeUndefined();
    expect(logEntries(`${edgeLine}\nplain\n${edgeLine}\n`)).toHaveLength(2);
  });

  it('shows an entry on one line for people: time, level, message, extras', () => {
    expect(readableLogLine(edgeLine)).toBe('09:15:04.120 warn  cloud link closed (1006) code=1006');
    expect(
      readableLogLine('{"level":"error","time":"2026-03-02T09:15:04.120Z","msg":"a\\nb","err":{"message":"x"}}'),
    ).toBe('09:15:04.120 error a | b err={"message":"x"}');
    expect(readableLogLine('plain text')).toBe('plain text');
  });
});
