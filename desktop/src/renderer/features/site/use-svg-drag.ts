import { useCallback, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { Position } from '@cr/shared';

export interface DragState {
  key: string;
  at: Position;
}

/**
 * Pointer dragging inside an SVG in plan coordinates. While dragging only local state changes;
 * the document is written once on release, so a drag is one merged edit, not hundreds.
 */
export function useSvgDrag(onDrop: (key: string, at: Position) => void) {
  const svgRef = useRef<SVGSVGElement | null>(null);
  const [drag, setDrag] = useState<DragState | undefined>();
  const toPlan = useCallback((e: { clientX: number; clientY: number }): Position | undefined => {
    const svg = svgRef.current;
    const m = svg?.getScreenCTM();
    if (!svg || !m) return undefined;
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(m.inverse());
    return { x: p.x, y: p.y };
  }, []);
  const start = (key: string) => (e: ReactPointerEvent<SVGElement>) => {
    const at = toPlan(e);
    if (!at) return;
    e.stopPropagation();
    (e.target as Element).setPointerCapture?.(e.pointerId);
    setDrag({ key, at });
  };
  const move = (e: ReactPointerEvent<SVGSVGElement>): void => {
    if (!drag) return;
    const at = toPlan(e);
    if (at) setDrag({ key: drag.key, at });
  };
  const end = (): void => {
    if (drag) onDrop(drag.key, drag.at);
    setDrag(undefined);
  };
  return { svgRef, drag, start, move, end };
}
