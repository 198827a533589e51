// The file manager's list rules (K2, K5), with no page or network in them: names as the wire
// carries them, sorting, selection by pattern, sizes and dates as people read them.

/** A name's bytes-exact wire form: a string when UTF-8, else {raw, shown}. */
export function nameKey(name) {
  return typeof name === 'string' ? `s:${name}` : `b:${name.raw}`;
}

/** What people read: the name, or its UTF-8 parts with each stray byte as \xNN. */
export function shownName(name) {
  return typeof name === 'string' ? name : name.shown;
}

/** A name a browser's folder accepts: each byte that is not UTF-8 as %NN, and a backslash —
 * which browsers refuse in names — as %5C. */
export function browserName(name) {
  return typeof name === 'string' ? name.replace(/\\/g, '%5C')
    : name.shown.replace(/\\x([0-9A-F]{2})|\\/g, (_, hex) => `%${hex ?? '5C'}`);
}

const KIND_ORDER = { folder: 0, symlink: 1, file: 2, other: 3 };

/** The extension people call the type: "report.PDF" → "pdf"; a leading dot is not one. */
export function extension(name) {
  const text = shownName(name);
  const dot = text.lastIndexOf('.');
  return dot > 0 && dot < text.length - 1 ? text.slice(dot + 1).toLowerCase() : '';
}

/**
 * What names sort by: case folded, digit runs padded so "file2" comes before "file10". Plain
 * string comparison of these keys is many times quicker than a locale collator, which matters
 * for a folder of 100,000 names.
 */
export function sortKey(text) {
  return text.toLowerCase().replace(/\d+/g, (digits) => digits.padStart(20, '0'));
}

const compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Entries sorted by `by` (name, type, size, date), folders first as file managers do, then by
 * name so equal keys keep a stable, readable order; `descending` flips the key, not the folders.
 */
export function sortEntries(entries, by = 'name', descending = false) {
  const direction = descending ? -1 : 1;
  const keyed = entries.map((entry) => ({ entry, name: sortKey(shownName(entry.name)), type: extension(entry.name), folder: entry.kind === 'folder' ? 0 : 1 }));
  const key = {
    name: () => 0,
    type: (a, b) => compare(a.type, b.type),
    size: (a, b) => a.entry.size - b.entry.size,
    date: (a, b) => a.entry.modified - b.entry.modified,
  }[by] ?? (() => 0);
  keyed.sort((a, b) => {
    if (a.folder !== b.folder) return a.folder - b.folder;
    const primary = key(a, b) * direction;
    if (primary !== 0) return primary;
    return compare(a.name, b.name) * (by === 'name' ? direction : 1) || KIND_ORDER[a.entry.kind] - KIND_ORDER[b.entry.kind];
  });
  return keyed.map((item) => item.entry);
}

/**
 * A selection pattern as the manual's + and − take it: `*` any run, `?` one character, several
 * patterns separated by `;` or spaces; case-insensitive. Returns a test for a shown name.
 */
export function patternTest(pattern) {
  const parts = pattern.split(/[;\s]+/).filter(Boolean);
  if (parts.length === 0) return () => false;
  const expressions = parts.map((part) => new RegExp(`^${part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i'));
  return (name) => expressions.some((expression) => expression.test(shownName(name)));
}

/** The selection after + (select matching), − (deselect matching), * (invert), all, none. */
export function changeSelection(selected, entries, action, pattern = '') {
  const keys = entries.map((entry) => nameKey(entry.name));
  const next = new Set(selected);
  switch (action) {
    case 'all': return new Set(keys);
    case 'none': return new Set();
    case 'invert': return new Set(keys.filter((key) => !selected.has(key)));
    case 'select': {
      const matches = patternTest(pattern);
      entries.forEach((entry, index) => { if (matches(entry.name)) next.add(keys[index]); });
      return next;
    }
    case 'deselect': {
      const matches = patternTest(pattern);
      entries.forEach((entry, index) => { if (matches(entry.name)) next.delete(keys[index]); });
      return next;
    }
    default: return next;
  }
}

/** 0 B, 999 B, 1.0 KB, 12 KB, 3.4 MB … (decimal units, as disks are sold). */
export function formatSize(bytes) {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** A path typed in "Go to folder": "~/a/b", "/etc", "a/b" (from the current root) → names; ".." goes up. */
export function parseTypedPath(text, current) {
  const trimmed = text.trim();
  let root = current.root;
  let names = [...current.names];
  let rest = trimmed;
  if (trimmed === '~' || trimmed.startsWith('~/')) {
    root = 'home';
    names = [];
    rest = trimmed.slice(1);
  } else if (trimmed.startsWith('/')) {
    root = 'system';
    names = [];
  }
  for (const part of rest.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') names.pop();
    else names.push(part);
  }
  return { root, names };
}
