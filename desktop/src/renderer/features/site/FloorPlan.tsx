import { memo, useMemo } from 'react';
import type { AlertView, DeviceView, Position, Zone } from '@cr/shared';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { clampToPlan, DEVICE_GLYPH, doorLook, moveVertex, placedDevices, planBounds, readingOf, polygonPoints, zoneLabelAnchor } from './floor-plan';
import { useSvgDrag } from './use-svg-drag';

export interface FloorPlanProps {
  zones: readonly Zone[];
  devices: readonly DeviceView[];
  occupancy: Readonly<Record<string, number>>;
  alerts: readonly AlertView[];
  editing: boolean;
  onDoor?: (door: DeviceView) => void;
  onMoveDevice: (deviceId: string, at: Position) => void;
  onZoneChange: (zone: Zone) => void;
}

const ZoneShape = memo(function ZoneShape({ zone, count, label }: { zone: Zone; count: number | undefined; label: string }) {
  // Labels sit in the zone's top-left corner, where devices rarely are, so they never hide a pin.
  const c = zoneLabelAnchor(zone);
  return (
    <g data-testid={`zone-${zone.id}`} data-occupancy={count ?? 0}>
      <polygon points={polygonPoints(zone)} className={count ? 'zone zone-occupied' : 'zone'} />
      <text x={c.x} y={c.y} className="zone-name">
        {zone.name}
      </text>
      <text x={c.x} y={c.y + 22} className="zone-occupancy">
        {label}
      </text>
    </g>
  );
});

/** The site's floor plan: zones, devices at their pins, live door state, offline devices and alerts. */
export function FloorPlan(p: FloorPlanProps) {
  const { t } = useI18n();
  const box = useMemo(() => planBounds(p.zones), [p.zones]);
  const placed = useMemo(() => placedDevices(p.devices, box), [p.devices, box]);
  const alerting = useMemo(() => new Set(p.alerts.filter((a) => a.state !== 'resolved' && a.deviceId).map((a) => a.deviceId)), [p.alerts]);
  const { svgRef, drag, start, move, end } = useSvgDrag((key, at) => {
    const [kind, id, index] = key.split('|');
    if (kind === 'device' && id) p.onMoveDevice(id, clampToPlan(at));
    const zone = p.zones.find((z) => z.id === id);
    if (kind === 'vertex' && zone) p.onZoneChange(moveVertex(zone, Number(index), at));
  });
  const zones = p.zones.map((z) => {
    if (!drag?.key.startsWith(`vertex|${z.id}|`)) return z;
    return moveVertex(z, Number(drag.key.split('|')[2]), drag.at);
  });
  return (
    <svg
      ref={svgRef}
      className={p.editing ? 'floor-plan editing' : 'floor-plan'}
      viewBox={`${box.x} ${box.y} ${box.width} ${box.height}`}
      onPointerMove={move}
      onPointerUp={end}
      onPointerCancel={end}
      data-testid="floor-plan"
      role="group"
      aria-label={t('site.floorPlan')}
    >
      {zones.map((z) => (
        <ZoneShape key={z.id} zone={z} count={p.occupancy[z.id]} label={p.occupancy[z.id] === 1 ? t('site.occupancyOne') : t('site.occupancy', { n: p.occupancy[z.id] ?? 0 })} />
      ))}
      {p.editing &&
        zones.flatMap((z) =>
          z.polygon.map(([x, y], i) => <circle key={`${z.id}-${i}`} cx={x} cy={y} r={9} className="vertex-handle" onPointerDown={start(`vertex|${z.id}|${i}`)} data-testid={`vertex-${z.id}-${i}`} />),
        )}
      {placed.map((d) => {
        const at = drag?.key === `device|${d.id}` ? drag.at : d.at;
        const look = d.kind === 'door' ? doorLook(d) : d.online ? 'online' : 'offline';
        const isDoor = d.kind === 'door';
        const clickable = isDoor && !p.editing && !!p.onDoor;
        const reading = readingOf(d);
        return (
          <g
            key={d.id}
            transform={`translate(${at.x} ${at.y})`}
            className={`device device-${d.kind} look-${look}${alerting.has(d.id) ? ' alerting' : ''}${clickable ? ' clickable' : ''}${d.pinned ? '' : ' unpinned'}`}
            data-testid={isDoor ? `door-${d.id}` : `device-${d.id}`}
            data-kind={d.kind}
            data-online={String(d.online)}
            data-look={look}
            data-reading={reading}
            data-locked={isDoor && typeof d.state?.locked === 'boolean' ? String(d.state.locked) : undefined}
            data-open={isDoor && typeof d.state?.open === 'boolean' ? String(d.state.open) : undefined}
            role={clickable ? 'button' : undefined}
            tabIndex={clickable ? 0 : undefined}
            aria-label={`${d.name}: ${t(dynamicKey('look', look))}`}
            onClick={clickable ? () => p.onDoor?.(d) : undefined}
            onKeyDown={clickable ? (e) => (e.key === 'Enter' || e.key === ' ') && p.onDoor?.(d) : undefined}
            onPointerDown={p.editing ? start(`device|${d.id}`) : undefined}
          >
            <title>{`${d.name} (${t(dynamicKey('kind', d.kind))}) — ${t(dynamicKey('look', look))}${reading ? ` — ${reading}` : ''}`}</title>
            {alerting.has(d.id) && <circle r={isDoor ? 26 : 19} className="alert-ring" />}
            {isDoor ? <rect x={-17} y={-17} width={34} height={34} rx={6} className="device-body" /> : <circle r={13} className="device-body" />}
            <text className="device-glyph" dy="0.35em">
              {DEVICE_GLYPH[d.kind]}
            </text>
            {!d.online && <line x1={-12} y1={12} x2={12} y2={-12} className="offline-slash" />}
            {isDoor && (
              <text className="door-label" y={32}>
                {t(dynamicKey('look', look))}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
