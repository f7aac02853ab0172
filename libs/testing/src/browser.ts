/**
 * Debian's Chromium, which `npm test` installs (scripts/test.mjs) and playwright-core drives: web
 * pages are tested in a real browser. CHROMIUM_PATH points elsewhere on other machines.
 */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
