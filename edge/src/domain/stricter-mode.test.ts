import { describe, expect, it } from 'vitest';
import type { SiteMode } from '@cr/shared';
import { sameMode, stricterMode } from './stricter-mode';

const s = (mode: SiteMode, fireActive = false) => ({ mode, fireActive });

describe('stricter of two site modes', () => {
  it.each([
    ['normal vs normal', s('normal'), s('normal'), s('normal')],
    ['normal vs secure', s('normal'), s('secure'), s('secure')],
    ['secure vs normal', s('secure'), s('normal'), s('secure')],
    ['secure vs lockdown', s('secure'), s('lockdown'), s('lockdown')],
    ['lockdown vs secure', s('lockdown'), s('secure'), s('lockdown')],
    ['lockdown vs emergency-unlock', s('lockdown'), s('emergency-unlock'), s('emergency-unlock')],
    ['emergency-unlock vs normal', s('emergency-unlock'), s('normal'), s('emergency-unlock')],
    ['normal vs a fire', s('normal'), s('emergency-unlock', true), s('emergency-unlock', true)],
    ['a fire vs lockdown', s('emergency-unlock', true), s('lockdown'), s('emergency-unlock', true)],
    ['lockdown vs a fire flag on a normal record', s('lockdown'), s('normal', true), s('emergency-unlock', true)],
    ['emergency-unlock without fire vs a fire', s('emergency-unlock'), s('emergency-unlock', true), s('emergency-unlock', true)],
  ])('%s', (_name, own, other, expected) => {
    expect(stricterMode(own, other)).toEqual(expected);
    // Symmetric: it does not matter which side holds which view.
    expect(stricterMode(other, own)).toEqual(expected);
  });

  it('tells equal states apart from different ones', () => {
    expect(sameMode(s('lockdown'), s('lockdown'))).toBe(true);
    expect(sameMode(s('emergency-unlock'), s('emergency-unlock', true))).toBe(false);
  });
});
