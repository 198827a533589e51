// The toolbox panels that work on the customer's computer through the console socket — the file
// manager (K1–K5), system information (L1–L8), scripts (N1, N2) and reboot (M1–M3) — mounted together, their socket messages
// routed here so the console's main module stays a switchboard.
import { mountFileManager } from '../components/file-manager.js';
import { mountSystemInfo } from '../components/system-info.js';
import { mountScripts } from '../components/scripts.js';
import { mountSystemReport } from '../components/system-report.js';
import { mountReboot } from '../components/reboot.js';
import { mountUnattendedRequest } from '../components/unattended-request.js';

export function mountSessionTools({ send, onError, canUse }) {
  const fileManager = mountFileManager(document.getElementById('panel-files'), { send, onError, canUse });
  const systemInfo = mountSystemInfo(document.getElementById('panel-system'), { send, onError, canUse });
  let shown = null;
  const report = mountSystemReport(document.getElementById('panel-system'), { send, currentSession: () => shown });
  const reboot = mountReboot(document.getElementById('panel-reboot'), { send });
  const unattended = mountUnattendedRequest(document.getElementById('panel-unattended'), { send });
  const scripts = mountScripts(document.getElementById('panel-scripts'), document.getElementById('script-dialog'), { send, onError, canUse });
  return {
    /** What needs the gateway once the console is signed in: the scripts library. */
    load: () => scripts.load(),
    show(session) {
      shown = session;
      report.show(session);
      fileManager.show(session);
      systemInfo.show(session);
      scripts.show(session);
      reboot.show(session);
      unattended.show(session);
    },
    /** One of their socket messages; true when the rest of the page needs no redraw for it. */
    message(message) {
      switch (message.type) {
        case 'file_manager':
          fileManager.statusChanged(message);
          return false;
        case 'file_manager_reply':
          fileManager.reply(message);
          return true;
        case 'system_info_reply':
          if (!report.handles(message)) systemInfo.reply(message);
          return true;
        case 'system_action_reply':
          systemInfo.actionDone(message);
          return true;
        case 'script_started':
          scripts.started(message);
          return true;
        case 'script_output':
          scripts.output(message);
          return true;
        case 'script_finished':
          scripts.finished(message);
          return true;
        case 'reboot_result':
          reboot.result(message);
          return true;
        case 'unattended_result':
          unattended.result(message);
          return true;
        default:
          return false;
      }
    },
    /** A refused request of theirs, told where it was made; false when it is not theirs. */
    refused: (message) => report.handles(message) || fileManager.refused(message) || systemInfo.refused(message) || scripts.refused(message) || reboot.refused(message)
      || unattended.refused(message),
  };
}
