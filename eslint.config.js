// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import vitest from '@vitest/eslint-plugin';

/** The layer table of STYLE.md §1, enforced rather than remembered. */
const layer = (files, patterns, paths = []) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns, paths }] },
});

/**
 * React APIs that preact/compat, the runtime the app ships on (vite.config.ts), does not provide:
 * they would type-check and then fail in the browser.
 */
const notOnPreact = 'The app runs on preact/compat (vite.config.ts), which does not provide this.';
const REACT_ONLY_APIS = [
  {
    name: 'react',
    importNames: [
      'Activity',
      'Profiler',
      'ViewTransition',
      'act',
      'addTransitionType',
      'cache',
      'cacheSignal',
      'captureOwnerStack',
      'use',
      'useActionState',
      'useEffectEvent',
      'useOptimistic',
    ],
    message: notOnPreact,
  },
  {
    name: 'react-dom',
    importNames: [
      'preconnect',
      'prefetchDNS',
      'preinit',
      'preinitModule',
      'preload',
      'preloadModule',
      'requestFormReset',
      'useFormState',
      'useFormStatus',
    ],
    message: notOnPreact,
  },
];
const noUi = { group: ['**/ui/**'], message: 'Only src/ui may import UI code.' };
const noSandbox = {
  group: ['**/sandbox/**'],
  message: 'The app and CLI never import the sandbox.',
};
const noCli = { group: ['**/cli/**'], message: 'Only the CLI entry imports src/cli.' };

const domainBase = [
  noUi,
  noSandbox,
  noCli,
  {
    group: ['**/fhir/*.ts', '**/fhir/bulk/**', 'fhirclient'],
    message: 'Domain code is I/O-free.',
  },
  { group: ['react', 'react-dom', 'node:*'], message: 'Domain code is React- and Node-free.' },
];

/** src/domain's concept folders and the folders each may import (see each folder's README). */
const DOMAIN_FOLDER_IMPORTS = {
  'fhir-primitives': [],
  codes: ['fhir-primitives'],
  peg: ['fhir-primitives', 'codes'],
  screening: ['fhir-primitives', 'codes', 'peg'],
  mme: ['fhir-primitives', 'codes'],
  pathway: ['fhir-primitives', 'codes', 'peg', 'screening', 'mme'],
  stats: [],
  deidentify: ['fhir-primitives'],
  outcomes: ['fhir-primitives', 'codes', 'peg', 'screening', 'pathway', 'mme', 'stats'],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      curly: 'error',
      eqeqeq: 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['src/ui/**/*.{ts,tsx}', 'launch/**/*.ts'],
    plugins: { 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y },
    rules: { ...reactHooks.configs.recommended.rules, ...jsxA11y.flatConfigs.strict.rules },
  },
  {
    files: ['tests/**/*.{ts,tsx}'],
    plugins: { vitest },
    rules: {
      ...vitest.configs.recommended.rules,
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  layer(['src/domain/**'], domainBase),
  // Inside src/domain each concept folder imports only the folders its README names.
  ...Object.entries(DOMAIN_FOLDER_IMPORTS).map(([folder, allowed]) =>
    layer(
      [`src/domain/${folder}/**`],
      [
        ...domainBase,
        ...Object.keys(DOMAIN_FOLDER_IMPORTS)
          .filter((other) => other !== folder && !allowed.includes(other))
          .map((other) => ({
            group: [`../${other}/**`],
            message: `src/domain/${folder} may import only ${allowed.join(', ') || 'nothing else in src/domain'} (its README).`,
          })),
      ],
    ),
  ),
  layer(
    ['src/fhir/**'],
    [noUi, noSandbox, noCli, { group: ['react', 'react-dom'], message: 'src/fhir is React-free.' }],
  ),
  layer(
    ['src/ui/**', 'launch/**'],
    [
      noSandbox,
      noCli,
      {
        group: [
          '**/fhir/bulk/**',
          '**/fhir/analytics/**',
          '**/fhir/views/**',
          '**/fhir/ndjson.ts',
          'node:*',
        ],
        message:
          'Browser code never imports Node-only modules (bulk client, DuckDB analytics, views, NDJSON files).',
      },
    ],
    REACT_ONLY_APIS,
  ),
  layer(['src/cli/**'], [noUi, noSandbox]),
  layer(['src/sandbox/**'], [noUi, noCli]),
  {
    // Domain code takes "now" from its caller (STYLE.md §2): no argument-less Date.
    files: ['src/domain/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Pass asOf.',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Pass asOf.',
        },
      ],
    },
  },
);
