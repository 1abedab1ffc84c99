import { describe, expect, it } from 'vitest';
import { parseStartOptions } from './start-options';

describe('npm start flags', () => {
  it('defaults to the contract port 8080', () => {
    expect(parseStartOptions([])).toEqual({ port: 8080, reset: false, rate: 2, help: false });
  });

  it('reads every flag', () => {
    expect(parseStartOptions(['--port', '0', '--rate', '5', '--reset'])).toMatchObject({ port: 0, rate: 5, reset: true });
  });

  it.each([
    [['--port'], /--port needs/],
    [['--port', 'abc'], /--port needs/],
    [['--port', '70000'], /at most 65535/],
    [['--rate', '-1'], /--rate needs/],
    [['--fire'], /unknown flag --fire/],
  ])('refuses %j with a clear message', (argv, message) => {
    expect(() => parseStartOptions(argv)).toThrow(message);
  });
});
