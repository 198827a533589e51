// The gateway's status and connection lines in the technician's language: a state change by its
// state, a logged event by its code and values (docs/protocol.md); older lines keep their text.
import { t } from './i18n.js';

export function logLineText(entry) {
  if (entry.state) return t(`status.${entry.state}`);
  if (entry.event) return t(`log.${entry.event.code}`, entry.event.params ?? {});
  return entry.text;
}
