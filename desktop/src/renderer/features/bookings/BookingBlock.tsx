import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { MINUTE_MS } from '@cr/shared';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import type { Booking } from './booking-api';
import { siteSpan } from './booking-time';
import { blockBox, NUDGE_MINUTES, type TimelineWindow } from './timeline-layout';

interface Props {
  booking: Booking;
  window: TimelineWindow;
  timeZone: string;
  memberName: string;
  selected: boolean;
  /** minutes the block is shifted by, awaiting confirmation */
  nudge: number;
  onSelect: () => void;
  onNudge: (minutes: number) => void;
  onNudgeReset: () => void;
}

/** Only a booking nobody has entered yet can be moved. */
export const movable = (b: Booking): boolean => b.state === 'booked';

/**
 * One booking on its resource's track, coloured by state. Click or Enter selects it; ← and → (or a
 * drag) shift a booked one by 15 min, which the detail panel then asks to confirm; Escape undoes.
 */
export function BookingBlock({ booking: b, window: w, timeZone, memberName, selected, nudge, onSelect, onNudge, onNudgeReset }: Props) {
  const { t } = useI18n();
  const drag = useRef<{ x: number; width: number; base: number } | undefined>(undefined);
  const shift = nudge * MINUTE_MS;
  const box = blockBox(w, b.start + shift, b.end + shift);
  if (!box) return null;
  const time = siteSpan(b.start + shift, b.end + shift, timeZone);
  const state = t(dynamicKey('booking.state', b.state));

  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      if (!movable(b)) return;
      e.preventDefault();
      onSelect();
      onNudge(nudge + (e.key === 'ArrowLeft' ? -NUDGE_MINUTES : NUDGE_MINUTES));
    } else if (e.key === 'Escape' && nudge !== 0) {
      e.stopPropagation();
      onNudgeReset();
    }
  };
  const onPointerDown = (e: PointerEvent<HTMLButtonElement>): void => {
    const track = e.currentTarget.parentElement;
    if (!movable(b) || !track || e.button !== 0) return;
    drag.current = { x: e.clientX, width: track.getBoundingClientRect().width || 1, base: nudge };
    e.currentTarget.setPointerCapture?.(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent): void => {
    const d = drag.current;
    if (!d) return;
    const minutes = ((e.clientX - d.x) / d.width) * (w.to - w.from);
    const stepped = d.base + Math.round(minutes / NUDGE_MINUTES) * NUDGE_MINUTES;
    if (stepped !== nudge) onNudge(stepped);
  };
  return (
    <button
      type="button"
      className={`booking-block state-${b.state}${selected ? ' selected' : ''}${nudge ? ' nudged' : ''}`}
      style={{ left: `${box.left}%`, width: `${box.width}%` }}
      aria-label={t('booking.blockLabel', { member: memberName, time, state })}
      aria-pressed={selected}
      title={`${memberName} · ${time} · ${state}`}
      onClick={onSelect}
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={() => (drag.current = undefined)}
      data-testid="booking-block"
      data-booking-id={b.id}
      data-state={b.state}
      data-time={time}
    >
      <span className="booking-block-time">{time}</span> <span className="booking-block-member">{memberName}</span>
    </button>
  );
}
