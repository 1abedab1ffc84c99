import { useEffect, useState } from 'react';
import { FrameThrottle } from './frame-throttle';

/**
 * The value as of the last animation frame, changing at most once per `minIntervalMs`: streaming
 * data (10 status changes a second per site) re-renders and redraws a bounded number of times.
 */
export function useThrottledValue<T>(value: T, minIntervalMs: number): T {
  const [shown, setShown] = useState(value);
  const [throttle] = useState(() => new FrameThrottle<T>((v) => setShown(() => v), minIntervalMs));
  useEffect(() => () => throttle.cancel(), [throttle]);
  useEffect(() => {
    if (!Object.is(value, shown)) throttle.push(value);
  }, [value, shown, throttle]);
  return shown;
}
