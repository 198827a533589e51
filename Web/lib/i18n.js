// Message catalogs: every user-visible string comes from here. English is the fallback.

/** The languages each catalog has (A3: console; A4: customer side). */
const CATALOG_LANGUAGES = {
  console: ['en', 'fr', 'de', 'es', 'it', 'ja', 'ko', 'nl', 'pt-BR', 'th', 'zh', 'zh-TW', 'ar'],
  admin: ['en', 'fr', 'de', 'es', 'it', 'ja', 'ko', 'nl', 'pt-BR', 'th', 'zh', 'zh-TW'],
  customer: ['ar', 'bg', 'cs', 'da', 'de', 'el', 'en', 'es', 'fi', 'fr', 'he', 'hr', 'hu', 'it', 'ja', 'ko', 'nl', 'no', 'pl',
    'pt', 'pt-BR', 'ro', 'ru', 'sk', 'sv', 'th', 'tr', 'zh', 'zh-TW'],
};

/** Each language in its own words, for language selectors. */
export const LANGUAGE_NAMES = {
  en: 'English', fr: 'Français', de: 'Deutsch', es: 'Español', it: 'Italiano', ja: '日本語', ko: '한국어',
  nl: 'Nederlands', 'pt-BR': 'Português (Brasil)', th: 'ไทย', zh: '简体中文', 'zh-TW': '繁體中文',
  ar: 'العربية', bg: 'Български', cs: 'Čeština', da: 'Dansk', el: 'Ελληνικά', fi: 'Suomi', he: 'עברית', hr: 'Hrvatski',
  hu: 'Magyar', no: 'Norsk', pl: 'Polski', pt: 'Português', ro: 'Română', ru: 'Русский', sk: 'Slovenčina', sv: 'Svenska',
  tr: 'Türkçe',
};

export function languagesOf(name) {
  return CATALOG_LANGUAGES[name] ?? ['en'];
}

/** Languages written right to left: the page turns with them. */
const RIGHT_TO_LEFT = new Set(['ar', 'he', 'fa', 'ur']);

let catalog = {};
let fallback = {};
let current = 'en';
let catalogName = 'console';
/** The gateway's error codes in the current language (Web/i18n/errors), shared by every page. */
let errorCatalog = {};
const ERROR_LANGUAGES = CATALOG_LANGUAGES.console;

async function fetchCatalog(language) {
  const response = await fetch(`/i18n/${catalogName}/${language}.json`);
  if (!response.ok) throw new Error(`No catalog for ${language}`);
  return response.json();
}

async function fetchErrorCatalog(language) {
  if (language === 'en' || !ERROR_LANGUAGES.includes(language)) return {};
  const response = await fetch(`/i18n/errors/${language}.json`);
  // Without it, errors read as the gateway wrote them (English): the page still works.
  return response.ok ? response.json() : {};
}

/** What went wrong, in the page's language: a network failure, else the gateway's error by its
 * code. In English, or for a code the language lacks, the gateway's own sentence, which may say
 * more (a limit, a name). */
export function describeError(error) {
  if (error?.code === 'network') return t('error.network');
  return errorCatalog[error?.code] ?? error?.message ?? String(error);
}

/** Loads `language` of catalog `name` (console or customer), with English as the fallback. */
export async function loadLanguage(language, name = catalogName) {
  catalogName = name;
  const wanted = languagesOf(name).includes(language) ? language : 'en';
  fallback = await fetchCatalog('en');
  catalog = wanted === 'en' ? fallback : await fetchCatalog(wanted);
  errorCatalog = await fetchErrorCatalog(wanted);
  current = wanted;
  document.documentElement.lang = wanted;
  document.documentElement.dir = RIGHT_TO_LEFT.has(wanted) ? 'rtl' : 'ltr';
}

/** The catalog language for a browser language tag: exact (pt-BR), Chinese by script or region
 * (zh-Hant, zh-HK → zh-TW), else the base language (pt-PT → pt-BR, de-AT → de); null when none. */
export function matchLanguage(tag, available) {
  const lower = String(tag).toLowerCase();
  const exact = available.find((code) => code.toLowerCase() === lower);
  if (exact) return exact;
  if (/^zh-(hant|tw|hk|mo)/.test(lower) && available.includes('zh-TW')) return 'zh-TW';
  // Norwegian Bokmål and Nynorsk read the Norwegian catalog; "cz" is a common mistake for Czech.
  const base = { nb: 'no', nn: 'no', cz: 'cs', iw: 'he' }[lower.split('-')[0]] ?? lower.split('-')[0];
  return available.find((code) => code.toLowerCase() === base) ?? available.find((code) => code.toLowerCase().split('-')[0] === base) ?? null;
}

/** The first language of the browser's list that catalog `name` has. */
export function browserLanguage(name = 'console', languages = navigator.languages || [navigator.language]) {
  for (const tag of languages) {
    const match = matchLanguage(tag, languagesOf(name));
    if (match) return match;
  }
  return 'en';
}

export function currentLanguage() {
  return current;
}

// Formatters are costly to make and a log draws thousands of times: one per language and style.
const formatters = new Map();
function formatter(style) {
  const key = `${current}|${JSON.stringify(style)}`;
  if (!formatters.has(key)) formatters.set(key, new Intl.DateTimeFormat(current, style));
  return formatters.get(key);
}

/** A date and time as the console's language writes them ("2 déc. 2026, 14:05" in French). */
export function formatDateTime(value) {
  return formatter({ dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value));
}

/** A time of day in the console's language (14:05 in French, 2:05 PM in English). */
export function formatTime(value, withSeconds = false) {
  return formatter(withSeconds ? { hour: '2-digit', minute: '2-digit', second: '2-digit' } : { hour: '2-digit', minute: '2-digit' })
    .format(new Date(value));
}

/** Translates `key`, replacing {name} placeholders with `params`. */
export function t(key, params = {}) {
  const text = catalog[key] ?? fallback[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

/** Fills every element with data-i18n (text) or data-i18n-placeholder / -title / -label. */
export function translatePage(root = document) {
  for (const element of root.querySelectorAll('[data-i18n]')) element.textContent = t(element.dataset.i18n);
  for (const element of root.querySelectorAll('[data-i18n-placeholder]')) element.placeholder = t(element.dataset.i18nPlaceholder);
  for (const element of root.querySelectorAll('[data-i18n-title]')) element.title = t(element.dataset.i18nTitle);
  for (const element of root.querySelectorAll('[data-i18n-label]')) element.setAttribute('aria-label', t(element.dataset.i18nLabel));
}

const CUSTOMER_LANGUAGE_KEY = 'lifeline.customerLanguage';

/** The customer's language: the one picked earlier on this browser, else the browser's own. */
export function customerLanguage() {
  return localStorage.getItem(CUSTOMER_LANGUAGE_KEY) ?? browserLanguage('customer');
}

/** Fills a language selector with the customer languages; a choice is remembered and applied,
 * then `onChange` redraws what the page built itself. */
export function mountCustomerLanguagePicker(select, onChange = () => {}) {
  select.replaceChildren(...languagesOf('customer').map((code) => new Option(LANGUAGE_NAMES[code] ?? code, code)));
  select.value = current;
  select.addEventListener('change', async () => {
    localStorage.setItem(CUSTOMER_LANGUAGE_KEY, select.value);
    await loadLanguage(select.value, 'customer');
    translatePage();
    onChange();
  });
}
