// The console's colour scheme (B1): light, dark or high contrast, saved with the technician's
// options and remembered in the browser, so the sign-in page already has it.
const KEY = 'lifeline.theme';

export function applyTheme(theme = 'light') {
  document.documentElement.dataset.theme = theme;
  localStorage.setItem(KEY, theme);
}

document.documentElement.dataset.theme = localStorage.getItem(KEY) ?? 'light';
