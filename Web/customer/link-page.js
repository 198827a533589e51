// The page a customer's link opens (/c/<token>): checks it and shows how to start the applet.
import { api } from '../lib/api.js';
import { customerLanguage, loadLanguage, t, translatePage } from '../lib/i18n.js';
import { showInstructions } from './instructions.js';

await loadLanguage(customerLanguage(), 'customer');
translatePage();

const token = location.pathname.split('/c/')[1]?.split('/')[0] ?? '';
const status = document.getElementById('link-status');
const errorLine = document.getElementById('link-error');
try {
  const invitation = await api(`customer/links/${encodeURIComponent(token)}`);
  status.hidden = true;
  showInstructions(document.getElementById('instructions'), invitation, `--link ${location.origin}/c/${token}`, { link: token });
} catch (error) {
  status.hidden = true;
  errorLine.textContent = error.code === 'network' ? t('error.network') : t('link.invalid');
  errorLine.hidden = false;
}
