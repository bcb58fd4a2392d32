import { Kst } from '../simulate/kst';
import { startupEvents } from '../simulate/events';

/** Option 2 in words, for an editor without the KST view: the events an RTCSRV restart would log. */
export function restartExplanation(kst: Kst): string {
  return `After an RTCSRV restart:\n${startupEvents(kst, true)
    .map((e) => `${e.id} ${e.level}: ${e.message}`)
    .join('\n')}`;
}
