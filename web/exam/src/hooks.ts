import { useEffect, useState } from 'preact/hooks';
import type { ServerClock } from './clock';

/** Server time, re-rendering at every server-second boundary. */
export function useServerNow(clock: ServerClock, stepMs = 1000): number {
  const [now, setNow] = useState(() => clock.now());
  useEffect(() => {
    let t: ReturnType<typeof setTimeout>;
    const tick = () => {
      const n = clock.now();
      setNow(n);
      t = setTimeout(tick, stepMs - (((n % stepMs) + stepMs) % stepMs) + 5);
    };
    t = setTimeout(tick, 0);
    return () => clearTimeout(t);
  }, [clock, stepMs]);
  return now;
}
