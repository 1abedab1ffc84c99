// @vitest-environment happy-dom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Zone } from '@cr/shared';
import { I18nProvider } from '../../i18n/i18n';
import { AddZoneDialog, RemoveZoneDialog } from './ZoneDialogs';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const lounge: Zone = { id: 'lounge', name: 'Lounge', polygon: [[300, 0], [600, 0], [600, 300], [300, 300]] };
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

describe('zone dialogs', () => {
  it('removes a zone only after the operator confirms, naming the zone and its devices', () => {
    const calls: unknown[] = [];
    act(() =>
      root.render(
        <I18nProvider lang="en">
          <RemoveZoneDialog siteName="Gangnam" zone={lounge} zones={[lounge]} deviceCount={0} onRemove={(c) => calls.push(c ?? 'remove')} onClose={() => calls.push('close')} />
        </I18nProvider>,
      ),
    );
    expect(byTestId('zone-remove-name').textContent).toBe('Lounge');
    expect(byTestId('zone-remove-dialog').textContent).toContain('No devices are assigned to this zone');
    expect(byTestId('zone-remove-choice')).toBeNull();
    act(() => byTestId('zone-remove-cancel').click());
    expect(calls).toEqual(['close']);
    act(() => byTestId('zone-remove-confirm').click());
    expect(calls).toEqual(['close', 'remove']);
  });

  it('asks what becomes of the devices of a zone: moved to the zone picked, or left unplaced', () => {
    const choices: unknown[] = [];
    const office: Zone = { ...lounge, id: 'office', name: 'Office' };
    const studio: Zone = { ...lounge, id: 'studio', name: 'Studio' };
    const render = (error?: string) =>
      act(() =>
        root.render(
          <I18nProvider lang="en">
            <RemoveZoneDialog siteName="Gangnam" zone={lounge} zones={[lounge, office, studio]} deviceCount={2} error={error} onRemove={(c) => choices.push(c)} onClose={() => undefined} />
          </I18nProvider>,
        ),
      );
    render();
    expect(byTestId('zone-remove-dialog').textContent).toContain('2 devices are in this zone');
    const target = byTestId('zone-remove-target') as HTMLSelectElement;
    expect([...target.options].map((o) => o.value)).toEqual(['office', 'studio']);
    act(() => byTestId('zone-remove-confirm').click());
    act(() => {
      Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value')!.set!.call(target, 'studio');
      target.dispatchEvent(new Event('change', { bubbles: true }));
    });
    act(() => byTestId('zone-remove-confirm').click());
    act(() => byTestId('zone-remove-unassign').click());
    act(() => byTestId('zone-remove-confirm').click());
    expect(choices).toEqual([{ devices: 'move', to: 'office' }, { devices: 'move', to: 'studio' }, { devices: 'unassign' }]);
    render('the edge did not confirm the change in time');
    expect(byTestId('zone-remove-error').textContent).toContain('The zone was not changed');
  });

  it('adds a zone only under a new, non-empty name', () => {
    const added: string[] = [];
    act(() =>
      root.render(
        <I18nProvider lang="en">
          <AddZoneDialog siteName="Gangnam" zones={[lounge]} onAdd={(n) => added.push(n)} onClose={() => undefined} />
        </I18nProvider>,
      ),
    );
    const type = (value: string): void =>
      act(() => {
        const input = byTestId('zone-name-input') as HTMLInputElement;
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, value);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
    const confirm = byTestId('zone-add-confirm') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    type('lounge');
    expect(byTestId('zone-name-problem').textContent).toContain('already has this name');
    expect(confirm.disabled).toBe(true);
    type(' Storage ');
    expect(confirm.disabled).toBe(false);
    act(() => confirm.click());
    expect(added).toEqual(['Storage']);
  });
});
