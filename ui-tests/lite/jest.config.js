/**
 * The JupyterLite journey (browser mode): a `jupyter lite build` site served on
 * loopback, Debian's Chromium. Run by `npm run test:lite`, apart from test:e2e.
 */
const base = require('../jest.config');

module.exports = { ...base, testMatch: ['**/ui-tests/lite.test.ts'] };
