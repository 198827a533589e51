// Message catalogs: every user-visible string comes from here. English is the fallback.
export const LANGUAGES = ['en', 'fr'];

let catalog = {};
let fallback = {};
let current = 'en';
let catalogName = 'console';

async function fetchCatalog(language) {
  const response = await fetch(`/i18n/${catalogName}/${language}.json`);
  if (!response.ok) throw new Error(`No catalog for ${language}`);
  return response.json();
}

/** Loads `language` of catalog `name` (console or customer), with English as the fallback. */
export async function loadLanguage(language, name = catalogName) {
  catalogName = name;
  const wanted = LANGUAGES.includes(language) ? language : 'en';
  fallback = await fetchCatalog('en');
  catalog = wanted === 'en' ? fallback : await fetchCatalog(wanted);
  current = wanted;
  document.documentElement.lang = wanted;
}

/** The first language of the browser's list that has a catalog. */
export function browserLanguage(languages = navigator.languages || [navigator.language]) {
  for (const tag of languages) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (LANGUAGES.includes(base)) return base;
  }
  return 'en';
}

export function currentLanguage() {
  return current;
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
