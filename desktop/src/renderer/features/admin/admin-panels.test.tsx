// @vitest-environment happy-dom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../data/api-error';
import { I18nProvider } from '../../i18n/i18n';
import type { AdminApi, NewMemberBody } from './admin-api';
import { EdgeTokenPanel } from './EdgeTokenPanel';
import { MemberPanel } from './MemberPanel';
import { SiteCreateForm } from './SiteCreateForm';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;
beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
});
const byTestId = (id: string): HTMLElement => host.querySelector(`[data-testid="${id}"]`) as HTMLElement;
const type = (id: string, value: string): void =>
  act(() => {
    const input = byTestId(id) as HTMLInputElement;
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
const settle = () => act(async () => new Promise((r) => setTimeout(r, 0)));

const fakeAdmin = (over: Partial<AdminApi>): AdminApi => over as AdminApi;

describe('admin panels', () => {
  it('shows the exact gateway command with the issued token', async () => {
    const admin = fakeAdmin({ issueEdgeToken: async () => ({ token: 'ey.token.sig', jti: 'j', expiresAt: 1 }) });
    act(() =>
      root.render(
        <I18nProvider lang="en">
          <EdgeTokenPanel admin={admin} siteId="seongsu" cloudUrl="http://127.0.0.1:8080" />
        </I18nProvider>,
      ),
    );
    act(() => byTestId('admin-edge-issue').click());
    await settle();
    expect((byTestId('admin-edge-command') as HTMLTextAreaElement).value).toBe(
      'npm run edge -- --site seongsu --cloud http://127.0.0.1:8080 --token ey.token.sig --commissioning',
    );
  });

  it('creates a member with a card on the chosen zones, and says what is missing first', async () => {
    const saved: NewMemberBody[] = [];
    const admin = fakeAdmin({
      putMember: async (m) => (saved.push(m), { id: m.id, active: true, credentials: [], grants: [] }),
    });
    act(() =>
      root.render(
        <I18nProvider lang="ko">
          <MemberPanel
            admin={admin}
            siteId="seongsu"
            zones={[{ id: 'lobby', name: '로비' }]}
            members={[]}
            onSaved={() => undefined}
          />
        </I18nProvider>,
      ),
    );
    act(() => byTestId('admin-member-save').click());
    expect(byTestId('admin-member-id-problem').textContent).toBe('필수 항목입니다.');
    expect(saved).toEqual([]);
    type('admin-member-id', 'minji');
    type('admin-member-name', '김민지');
    type('admin-member-card', 'acme-card-1');
    act(() => byTestId('admin-member-zone-lobby').click());
    act(() => byTestId('admin-member-save').click());
    await settle();
    expect(saved).toEqual([
      { id: 'minji', name: '김민지', card: 'acme-card-1', siteId: 'seongsu', zoneIds: ['lobby'], afterHours: false },
    ]);
    expect(byTestId('admin-member-done').textContent).toBe('회원 minji을(를) 저장했습니다.');
  });

  it('says plainly when a site id exists already', async () => {
    const admin = fakeAdmin({
      createSite: async () => {
        throw new ApiError(409, 'a site with this id exists');
      },
    });
    act(() =>
      root.render(
        <I18nProvider lang="en">
          <SiteCreateForm admin={admin} onCreated={() => undefined} />
        </I18nProvider>,
      ),
    );
    type('admin-site-id', 'seongsu');
    type('admin-site-name', 'Seongsu');
    act(() => byTestId('admin-site-create').click());
    await settle();
    expect(byTestId('admin-site-error').textContent).toBe('That ID exists already.');
  });
});
