import { describe, expect, it } from 'vitest';
import { ApiError } from '../../data/api-error';
import { translate, type Translate } from '../../i18n/i18n';
import { adminErrorText } from './use-admin-action';

describe('admin error text', () => {
  const t: Translate = (key, vars) => translate('en', key, vars);
  it('says what the server refused and why, not a guess', () => {
    expect(adminErrorText(new ApiError(409, 'a site with this id exists'), t)).toBe('That ID exists already.');
    expect(adminErrorText(new ApiError(409, 'this silence has already ended'), t)).toBe('Not done: this silence has already ended.');
    expect(adminErrorText(new ApiError(403, 'vendors may not silence notifications'), t)).toBe('Your role may not do this (vendors may not silence notifications).');
  });
});
