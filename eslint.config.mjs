// Lint as the JupyterLab extension template does: typescript-eslint, Jupyter's own
// rules (translations, plugin and command conventions, signals), prettier for layout.
import jupyter from '@jupyter/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'lib/',
      'node_modules/',
      'gitcheckpoints/',
      'bench-results/',
      '.venv/',
      '**/*.d.ts'
    ]
  },
  ...tseslint.configs.recommended,
  {
    plugins: { jupyter },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-namespace': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { args: 'none' }],
      curly: ['error', 'all'],
      eqeqeq: 'error',
      'prefer-arrow-callback': 'error'
    }
  },
  ...jupyter.configs.recommended.filter(
    config => !config.files?.some(f => f.endsWith('.json'))
  ),
  {
    // jest reads CommonJS configs.
    files: ['**/jest.config.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  },
  {
    files: ['test/**', 'ui-tests/**', 'scripts/**'],
    rules: { 'jupyter/no-untranslated-string': 'off' }
  },
  prettier
);
