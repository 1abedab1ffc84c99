import { describe, expect, it } from 'vitest';
import type { DisplayInfo } from '../common/ipc-contract';
import { EMPTY_LAYOUT, fitInside, parseLayout, planWindows, reconcileWindows, rememberDisplay } from './display-layout';

const primary: DisplayInfo = { id: 1, label: 'Main', primary: true, bounds: { x: 0, y: 0, width: 1920, height: 1080 } };
const left: DisplayInfo = { id: 2, label: 'Left', primary: false, bounds: { x: -1920, y: 0, width: 1920, height: 1080 } };
const right: DisplayInfo = { id: 3, label: 'Right', primary: false, bounds: { x: 1920, y: 0, width: 2560, height: 1440 } };

describe('planWindows', () => {
  it('first run: a window on the primary display only, showing the map', () => {
    const plans = planWindows([primary, left], EMPTY_LAYOUT);
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatchObject({ displayId: 1, route: '#/overview', maximized: true });
  });

  it('restores the view remembered on each display across restarts', () => {
    let layout = rememberDisplay(EMPTY_LAYOUT, left, { route: '#/alerts', open: true }, 1);
    layout = rememberDisplay(layout, primary, { route: '#/sites/gangnam' }, 2);
    const restarted = parseLayout(JSON.stringify(layout));
    const plans = planWindows([primary, left], restarted);
    expect(plans.map((p) => [p.displayId, p.route])).toEqual([
      [1, '#/sites/gangnam'],
      [2, '#/alerts'],
    ]);
  });

  it('finds a display whose id changed after a restart by its geometry', () => {
    const layout = rememberDisplay(EMPTY_LAYOUT, right, { route: '#/alerts', open: true }, 1);
    const renumbered = { ...right, id: 99 };
    expect(planWindows([primary, renumbered], layout).find((p) => p.displayId === 99)?.route).toBe('#/alerts');
  });

  it('does not reopen a window the user closed on a secondary display', () => {
    let layout = rememberDisplay(EMPTY_LAYOUT, left, { route: '#/alerts', open: true }, 1);
    layout = rememberDisplay(layout, left, { open: false }, 2);
    expect(planWindows([primary, left], layout).map((p) => p.displayId)).toEqual([1]);
  });
});

describe('reconcileWindows', () => {
  it('opens windows for a reattached display and closes those whose display vanished', () => {
    const layout = rememberDisplay(EMPTY_LAYOUT, left, { route: '#/alerts', open: true }, 1);
    const afterUnplug = reconcileWindows(planWindows([primary], layout), [1, 2], [primary]);
    expect(afterUnplug).toEqual({ open: [], close: [2] });
    const afterReplug = reconcileWindows(planWindows([primary, left], layout), [1], [primary, left]);
    expect(afterReplug.open.map((p) => [p.displayId, p.route])).toEqual([[2, '#/alerts']]);
    expect(afterReplug.close).toEqual([]);
  });
});

describe('fitInside', () => {
  const area = { x: 1920, y: 0, width: 1280, height: 720 };
  it('pulls a window saved on a bigger or moved monitor back inside', () => {
    const b = fitInside({ x: 5000, y: 3000, width: 2560, height: 1440 }, area);
    expect(b.x).toBeGreaterThanOrEqual(area.x);
    expect(b.x + b.width).toBeLessThanOrEqual(area.x + area.width);
    expect(b.y + b.height).toBeLessThanOrEqual(area.y + area.height);
  });
  it('keeps a sensible minimum size', () => {
    expect(fitInside({ x: 1920, y: 0, width: 10, height: 10 }, area)).toMatchObject({ width: 640, height: 480 });
  });
});

describe('parseLayout', () => {
  it.each([
    ['', 'empty'],
    ['{not json', 'corrupt JSON'],
    ['{"version":2,"displays":{}}', 'a future version'],
    ['{"version":1,"displays":{"1":{"route":"https://evil.example","geometry":{"x":0,"y":0,"width":1,"height":1},"open":true,"savedAt":1}}}', 'a foreign route'],
    ['null', 'null'],
  ])('falls back to the empty layout for %s (%s)', (text) => {
    expect(parseLayout(text)).toEqual(EMPTY_LAYOUT);
  });
});
