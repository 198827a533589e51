// The toolbox's tabs, registered in this one place (issue 15): each names its label, icon,
// panel, and why it cannot be used for a session (null when it can). A new tool (file manager,
// system info, reboot, scripts, Lens) adds an entry here and a component for its panel.
const LIVE = ['active', 'collaboration'];
const CUSTOMER_AWAY = ['reconnecting', 'offline', 'rebooting'];

/**
 * Why a tool is greyed for `session`, as a key under `toolbox.` in the catalogs, or null.
 * `permissions`: any one of them allows the tool; `live`: it needs the session active with the
 * customer connected; `applet`: it needs the Lifeline app (not Instant Chat), or `'orBrowserScreen'`:
 * a browser that can show its screen will do (issue 16: the desktop view); `own`: only the
 * session's technician uses it; `lens`: it is part of a Lens session (Q1: the camera, the voices, the notes).
 */
export function toolBlockedReason(session, { permissions = [], live = true, applet = true, own = true, lens = false }, { canUse, isMine, isColleague }) {
  if (session.type === 'lens' && !lens) return 'notForLens';
  // 'orColleague': a colleague collaborating in the session uses it too (issue 21: the shared screen).
  if (own && !isMine(session) && !(own === 'orColleague' && isColleague?.(session))) return 'notYours';
  if (permissions.length > 0 && !permissions.some(canUse)) return 'noPermission';
  const browserWillDo = applet === 'orBrowserScreen' && Boolean(session.customer?.browserScreen);
  if (applet && !browserWillDo && session.customer?.client === 'browser') return 'chatOnly';
  if (live && CUSTOMER_AWAY.includes(session.state)) return 'customerAway';
  if (live && !LIVE.includes(session.state)) return 'notActive';
  return null;
}

/** The tabs in their order; `context` gives canUse, isMine and the components they need. */
export function toolboxTabs(context) {
  const $ = (id) => document.getElementById(id);
  const reason = (session, needs) => toolBlockedReason(session, needs, context);
  return [
    {
      id: 'remote', label: 'toolbox.remote', icon: 'monitor', panel: $('panel-remote'),
      // In a Lens session this is the customer's camera, which the Lens permission covers.
      blocked: (session) => reason(session, {
        permissions: session.type === 'lens' ? ['lens_sessions'] : ['remote_control', 'desktop_view'], applet: 'orBrowserScreen', own: 'orColleague', lens: true,
      }),
    },
    {
      id: 'files', label: 'toolbox.files', icon: 'folder', panel: $('panel-files'),
      // A colleague collaborating opens it too, one technician at a time (the gateway checks what the lead allowed).
      blocked: (session) => reason(session, { permissions: ['file_manager'], own: 'orColleague' }),
    },
    {
      id: 'system', label: 'toolbox.system', icon: 'gear', panel: $('panel-system'),
      // A colleague collaborating reads it too, and changes what the lead allowed them (the gateway checks).
      blocked: (session) => reason(session, { permissions: ['system_info'], own: 'orColleague' }),
    },
    {
      id: 'reboot', label: 'toolbox.reboot', icon: 'power', panel: $('panel-reboot'),
      // Waiting, active and outgoing (the appendix's rows into Rebooting); not while the computer is away.
      // A colleague collaborating restarts it too (the appendix's Collaboration → Rebooting).
      blocked: (session) => reason(session, { permissions: ['reboot'], live: false, own: 'orColleague' })
        ?? (CUSTOMER_AWAY.includes(session.state) ? 'customerAway' : ['waiting', 'outgoing', ...LIVE].includes(session.state) ? null : 'notActive'),
    },
    {
      id: 'unattended', label: 'toolbox.unattended', icon: 'clock', panel: $('panel-unattended'),
      blocked: (session) => reason(session, { permissions: ['unattended_access'] }),
    },
    {
      // The library is kept from any session; deploying needs the session active (the tab says so).
      id: 'scripts', label: 'toolbox.scripts', icon: 'script', panel: $('panel-scripts'),
      blocked: (session) => reason(session, { permissions: ['deploy_scripts', 'run_embedded_scripts'], live: false, applet: false, own: false }),
    },
    {
      id: 'notes', label: 'toolbox.notes', icon: 'notes', panel: $('panel-notes'),
      blocked: (session) => reason(session, { live: false, applet: false, own: false, lens: true }),
    },
    {
      id: 'calling-card', label: 'card.tab', icon: 'card', panel: $('panel-calling-card'),
      blocked: (session) => reason(session, { permissions: ['deploy_calling_card'] })
        ?? (context.callingCards.available() ? null : 'noCallingCards'),
    },
  ];
}
