// The Unattended tab (F5): ask the customer to let you connect to this computer when they are
// away — for how long, at which hours, in whose time zone, and how you will sign in. The customer
// answers in the applet; what came of it is said here.
import { t } from '../lib/i18n.js';

export function mountUnattendedRequest(panel, { send }) {
  const $ = (id) => panel.querySelector(`#${id}`);
  const form = $('unattended-form');
  const status = $('unattended-status');
  const results = new Map(); // session id → text
  const requests = new Map(); // request id → session id
  const myZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  let session = null;
  let counter = 0;

  const minutes = (value) => {
    const [hours, mins] = value.split(':').map(Number);
    return hours * 60 + mins;
  };
  const checked = (name) => form.querySelector(`input[name='${name}']:checked`)?.value;

  /** The rules as UnattendedRules travels (docs/protocol.md, unattended_request). */
  function rules() {
    const clock = checked('unattended-clock');
    const customerZone = session?.customer?.timeZone;
    const period = {
      days: { days: { _0: Number($('unattended-days').value) } },
      range: { dateRange: { first: $('unattended-first').value, last: $('unattended-last').value } },
      indefinite: { indefinite: {} },
    }[checked('unattended-period')];
    const anyHour = $('unattended-any-hour').checked;
    return {
      credentials: checked('unattended-credentials'),
      period,
      ...(anyHour ? {} : { dailyStart: minutes($('unattended-start').value), dailyEnd: minutes($('unattended-end').value) }),
      timeZone: clock === 'customer' && customerZone ? customerZone : myZone,
      clock: clock === 'customer' && customerZone ? 'customer' : 'technician',
    };
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!session) return;
    const requestId = `unattended-${++counter}`;
    requests.set(requestId, session.id);
    results.set(session.id, t('unattended.asked'));
    send('unattended_request', { sessionId: session.id, rules: rules(), requestId });
    render();
  });
  $('unattended-any-hour').addEventListener('change', render);

  function render() {
    const active = ['active', 'collaboration'].includes(session?.state);
    for (const control of form.elements) control.disabled = !active;
    const anyHour = $('unattended-any-hour').checked;
    $('unattended-start').disabled = !active || anyHour;
    $('unattended-end').disabled = !active || anyHour;
    const customerZone = session?.customer?.timeZone;
    $('unattended-my-zone').textContent = myZone;
    $('unattended-customer-zone').textContent = customerZone ?? t('unattended.zoneUnknown');
    form.querySelector("input[name='unattended-clock'][value='customer']").disabled = !active || !customerZone;
    status.textContent = results.get(session?.id) ?? '';
  }

  return {
    show(next) {
      session = next;
      render();
    },
    /** `unattended_result`: the customer said no, or the computer joined the Computers list. */
    result(message) {
      results.set(message.sessionId, t(message.outcome === 'enrolled' ? 'unattended.enrolled' : 'unattended.refused'));
      if (message.sessionId === session?.id) render();
    },
    refused(message) {
      const sessionId = requests.get(message.requestId);
      if (!sessionId) return false;
      requests.delete(message.requestId);
      results.set(sessionId, message.message);
      if (sessionId === session?.id) render();
      return true;
    },
  };
}
