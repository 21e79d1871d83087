// `npm run lint` (part of `npm test`): typescript-eslint's recommended rules, with type information
// for the rules that need it, and the project's layering rule: only editor glue imports `vscode`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The files that talk to the editor; everything else under src/ runs under plain Node (tests, CLI, workers). */
const EDITOR_GLUE = [
  'src/extension.ts',
  'src/commands.ts',
  'src/**/*Glue.ts',
  'src/dashboard/panel.ts',
  'src/status/statusBar.ts',
  'src/settings/settings.ts',
  'src/settings/otherTools.ts',
  'src/privacy/secretStorage.ts',
  'src/export/previewDocument.ts',
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test/fixtures/**', '.test-artifacts/**', '*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      // tsc's noUnusedLocals/noUnusedParameters already report these.
      '@typescript-eslint/no-unused-vars': 'off',
      // activate() registers commands before the parts they call exist, then assigns them once.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      'no-undef': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: EDITOR_GLUE,
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Only editor glue (eslint.config.mjs EDITOR_GLUE) may import vscode: keep logic pure and testable under plain Node.' }] }],
    },
  },
);
