import { memo } from 'react';
import type { DeviceView } from '@cr/shared';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { doorLook } from './floor-plan';

/** Doors of the site as a list with their state and a control button each (keyboard path to commands). */
export const DoorList = memo(function DoorList({ doors, canControl, onControl }: { doors: readonly DeviceView[]; canControl: boolean; onControl: (d: DeviceView) => void }) {
  const { t } = useI18n();
  return (
    <ul className="door-list" data-testid="door-list">
      {doors.map((d) => {
        const look = doorLook(d);
        return (
          <li key={d.id} className={`door-row look-${look}`} data-testid={`door-row-${d.id}`} data-look={look}>
            <span className="door-name">{d.name}</span>
            <span className="door-state">{t(dynamicKey('look', look))}</span>
            {canControl && (
              <button type="button" className="btn" onClick={() => onControl(d)} data-testid={`door-control-${d.id}`}>
                {t('site.control')}
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
});
