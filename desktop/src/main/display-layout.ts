import { z } from 'zod';
import { consoleRouteSchema, type ConsoleRoute, type DisplayInfo } from '../common/ipc-contract';

/**
 * Which console view runs on which monitor. Pure: main feeds it the current displays and the saved
 * layout and gets back which windows to open or close, so display changes and restarts are
 * unit-tested without Electron.
 */
const rectSchema = z.object({ x: z.number(), y: z.number(), width: z.number().positive(), height: z.number().positive() });
export type Rect = z.infer<typeof rectSchema>;

export const savedDisplaySchema = z.object({
  route: consoleRouteSchema,
  /** display geometry when saved: display ids are not stable on every OS, geometry is the fallback key */
  geometry: rectSchema,
  /** window bounds inside that display, if the user moved or resized it */
  bounds: rectSchema.optional(),
  maximized: z.boolean().optional(),
  /** false when the user closed the window on this display */
  open: z.boolean(),
  savedAt: z.number().int().nonnegative(),
});
export type SavedDisplay = z.infer<typeof savedDisplaySchema>;

export const layoutFileSchema = z.object({ version: z.literal(1), displays: z.record(z.string(), savedDisplaySchema) });
export type LayoutFile = z.infer<typeof layoutFileSchema>;

export const EMPTY_LAYOUT: LayoutFile = { version: 1, displays: {} };

export interface WindowPlan {
  displayId: number;
  route: ConsoleRoute;
  bounds: Rect;
  maximized: boolean;
}

const sameGeometry = (a: Rect, b: Rect): boolean => a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;

/** The saved entry for a display: by id first, else by identical geometry (ids can change across restarts). */
export function savedFor(layout: LayoutFile, display: DisplayInfo): SavedDisplay | undefined {
  return (
    layout.displays[String(display.id)] ??
    Object.values(layout.displays).find((s) => sameGeometry(s.geometry, display.bounds))
  );
}

/** First run: the map on the primary display, the alert console on the second. */
export function defaultRoute(display: DisplayInfo, displays: readonly DisplayInfo[]): ConsoleRoute {
  if (display.primary) return '#/overview';
  const secondaries = displays.filter((d) => !d.primary);
  return secondaries[0]?.id === display.id ? '#/alerts' : '#/overview';
}

/** Keeps a window on its display: a saved position from a larger or moved monitor is pulled back inside. */
export function fitInside(bounds: Rect | undefined, area: Rect): Rect {
  const b = bounds ?? { x: area.x + 40, y: area.y + 40, width: area.width - 80, height: area.height - 80 };
  const width = Math.max(640, Math.min(b.width, area.width));
  const height = Math.max(480, Math.min(b.height, area.height));
  const x = Math.min(Math.max(b.x, area.x), area.x + area.width - width);
  const y = Math.min(Math.max(b.y, area.y), area.y + area.height - height);
  return { x, y, width, height };
}

/**
 * Windows that should exist for the current displays: the primary always has one; another display
 * has one when the saved layout says a window was open there.
 */
export function planWindows(displays: readonly DisplayInfo[], layout: LayoutFile): WindowPlan[] {
  const plans: WindowPlan[] = [];
  for (const d of displays) {
    const saved = savedFor(layout, d);
    // The primary display always shows the console; others only where the user opened one.
    if (!d.primary && saved?.open !== true) continue;
    plans.push({
      displayId: d.id,
      route: saved?.route ?? defaultRoute(d, displays),
      bounds: fitInside(saved?.bounds, d.bounds),
      maximized: saved?.maximized ?? true,
    });
  }
  return plans;
}

/** What to change when displays come and go: open windows for new plans, close windows whose display vanished. */
export function reconcileWindows(
  plans: readonly WindowPlan[],
  openWindowDisplays: readonly number[],
  displays: readonly DisplayInfo[],
): { open: WindowPlan[]; close: number[] } {
  const present = new Set(displays.map((d) => d.id));
  const openSet = new Set(openWindowDisplays);
  return {
    open: plans.filter((p) => !openSet.has(p.displayId)),
    close: openWindowDisplays.filter((id) => !present.has(id)),
  };
}

/** Records what a display shows now (route, bounds, open); returns a new layout. */
export function rememberDisplay(
  layout: LayoutFile,
  display: DisplayInfo,
  patch: Partial<Pick<SavedDisplay, 'route' | 'bounds' | 'maximized' | 'open'>>,
  now: number,
): LayoutFile {
  const cur = savedFor(layout, display);
  const next: SavedDisplay = {
    route: patch.route ?? cur?.route ?? '#/overview',
    geometry: display.bounds,
    bounds: patch.bounds ?? cur?.bounds,
    maximized: patch.maximized ?? cur?.maximized,
    open: patch.open ?? cur?.open ?? true,
    savedAt: now,
  };
  return { version: 1, displays: { ...layout.displays, [String(display.id)]: next } };
}

/** Parses a layout file's text; anything unreadable gives the empty layout instead of a crash. */
export function parseLayout(text: string | undefined): LayoutFile {
  if (!text) return EMPTY_LAYOUT;
  try {
    const r = layoutFileSchema.safeParse(JSON.parse(text));
    return r.success ? r.data : EMPTY_LAYOUT;
  } catch {
    return EMPTY_LAYOUT;
  }
}
