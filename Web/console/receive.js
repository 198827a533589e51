// The console socket's messages (issue 21: split from main.js): each changes the page's state or
// is handed to the component it is for; one render follows per frame.
import { ApiError } from '../lib/api.js';
import { colleagueViewEnded, upsert } from '../lib/session-logic.js';

/** The page's state, its logs and alerts, and the components messages are for. */
export function createReceiver({ state, logs, $, alerts, chatSwitcher, remoteDesktop, sessionTools, fileTransfers, transferDialog,
  myStatus, monitoring, technicianScreen, monitorScreenRequest, showError, renderSoon }) {
  const { alert, alertForChange, noteArrival } = alerts;
  return function receive(message) {
    switch (message.type) {
      case 'snapshot':
        remoteDesktop.consoleOpened(message.console);
        state.sessions = [];
        for (const session of message.sessions) state.sessions = upsert(state.sessions, session);
        break;
      case 'session': {
        const before = state.sessions.find((s) => s.id === message.session.id);
        const arrived = ['waiting', 'incoming'].includes(message.session.state) && before?.state !== message.session.state;
        state.sessions = colleagueViewEnded(message.session, state.me?.id)
          ? state.sessions.filter((s) => s.id !== message.session.id) : upsert(state.sessions, message.session);
        if (arrived) noteArrival();
        alertForChange(before, message.session);
        break;
      }
      case 'log': {
        logs.add(message.entry);
        if (message.entry.kind === 'chat' && message.entry.authorRole === 'customer') {
          chatSwitcher.customerLine(message.entry.sessionId, state.selectedId);
          const reading = state.selectedId === message.entry.sessionId && document.activeElement === $('chat-input');
          if (document.hidden) alert('chat_message_minimised');
          else if (!reading) alert('chat_message_unfocused');
        }
        break;
      }
      case 'remote':
        remoteDesktop.statusChanged(message.remote);
        break;
      case 'file_manager':
      case 'file_manager_reply':
      case 'system_info_reply':
      case 'system_action_reply':
      case 'script_started':
      case 'script_output':
      case 'script_finished':
      case 'reboot_result':
      case 'unattended_result':
        // Nothing else on the page depends on a reply: no render.
        if (sessionTools.message(message)) return;
        break;
      case 'remote_notice':
        remoteDesktop.notice(message.sessionId, message.notice);
        break;
      case 'webrtc_signal':
        remoteDesktop.webrtcSignal(message.sessionId, message.signal);
        break;
      case 'file':
        fileTransfers.changed(message.file);
        if (message.file.direction === 'from_customer' && message.file.phase === 'done') alert('customer_sent_file');
        break;
      case 'technician_status':
        transferDialog.statusChanged(message.technician);
        if (message.technician.id === state.me?.id) myStatus.changed(message.technician.status);
        break;
      case 'monitor_screen_request':
        monitorScreenRequest.message(message);
        return;
      case 'technician_screen':
      case 'technician_screen_ack':
      case 'technician_screen_quality':
        // The Share screen button follows; nothing else changes.
        technicianScreen.message(message);
        return;
      case 'monitoring':
      case 'monitored':
      case 'monitor_notice':
        // The monitoring view draws itself; the queue does not change.
        monitoring.message(message);
        return;
      case 'error':
        if (technicianScreen.isLateRefusal(message)) return;
        // A refused file manager or system info request is told where it was made.
        if (message.requestId && sessionTools.refused(message)) break;
        showError(new ApiError(0, message.code, message.message));
        break;
      default:
        break;
    }
    renderSoon();
  };
}
