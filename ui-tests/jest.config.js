/**
 * End-to-end tests: a real JupyterLab (the venv's, with this project pip-installed),
 * a loopback git remote and Debian's Chromium. One journey, run serially.
 */
const path = require('path');

module.exports = {
  rootDir: path.resolve(__dirname, '..'),
  roots: ['<rootDir>/ui-tests'],
  testEnvironment: 'node',
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/ui-tests/tsconfig.json' }]
  },
  maxWorkers: 1,
  testTimeout: 600000,
  verbose: true
};
