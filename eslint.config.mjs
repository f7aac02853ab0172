// Lint = correctness + architecture: strict typed TypeScript, no `any`, and Nx module
// boundaries (apps never import apps; contracts/domain stay pure; libs/testing stays in tests).
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const IO_MODULES = [
  'node:fs', 'node:fs/promises', 'node:net', 'node:http', 'node:https', 'node:dns', 'node:child_process', 'node:dgram',
  'pg', 'kafkajs', 'ioredis', 'got', 'typeorm', 'opossum', '@nestjs/*', 'express',
];

export default tseslint.config(
  // libs/client's schema.ts is openapi-typescript's output (npm run client), never edited.
  { ignores: ['**/dist/**', '**/node_modules/**', '.local/**', 'coverage/**', '.nx/**', 'libs/client/src/schema.ts'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true, allowNullish: true }],
      // Nest modules are classes with static factories and no instance members.
      '@typescript-eslint/no-extraneous-class': 'off',
      // Loops that end by returning (for (;;)) and defensive checks on external data read better as is.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-non-null-assertion': 'error',
      // Nest declares many option bags as classes; object literals are how they are meant to be passed.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'], notDependOnLibsWithTags: ['scope:testing'] },
            { sourceTag: 'scope:pure', onlyDependOnLibsWithTags: ['scope:pure'] },
            { sourceTag: 'scope:io', onlyDependOnLibsWithTags: ['scope:pure', 'scope:io'] },
            { sourceTag: 'scope:testing', onlyDependOnLibsWithTags: ['scope:pure', 'scope:io'] },
          ],
        },
      ],
    },
  },
  {
    // The pure libs decide; they never touch the network, the disk or a framework.
    files: ['libs/contracts/src/**/*.ts', 'libs/domain/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: IO_MODULES.map((group) => ({ group: [group], message: 'libs/contracts and libs/domain must not do I/O' })) }],
    },
  },
  {
    // The Kafka client library stays behind libs/kafka (docs/adr/0008-kafka-client.md): services
    // and the other libs use its own types, so a client switch touches one folder. Test
    // harnesses, the bench and the chaos suite drive the broker directly and may import it.
    files: ['apps/*/src/**/*.ts', 'libs/{db,platform,webhook-http}/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'kafkajs', message: 'use @hookstream/kafka (KafkaProducer, ConsumerHost, KafkaAdmin): the client stays behind libs/kafka' },
            { name: '@hookstream/kafka/kafkajs', message: 'the raw client is for test harnesses, the bench and chaos only' },
          ],
        },
      ],
    },
  },
  {
    // Tests may use libs/testing and reach into apps' own sources.
    // Typed response helpers (call<T>()) are clearer than casts at every call site.
    files: ['**/*.spec.ts', '**/test/**/*.ts', 'libs/testing/src/**/*.ts'],
    rules: { '@typescript-eslint/no-unnecessary-type-parameters': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    // SQL lives in *.repository.ts, so a reader finds every statement a feature runs in one file
    // (and its table's owner in docs/architecture.md). Services orchestrate transactions only.
    files: ['apps/*/src/**/*.ts'],
    ignores: ['**/*.repository.ts', '**/*.spec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='query']", message: 'SQL belongs in a *.repository.ts file' },
      ],
    },
  },
  {
    // bench/ runs on Node's type stripping: a type imported without `type` would be a missing
    // export at run time, and only erasable syntax survives (no enums, no parameter properties).
    files: ['bench/**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/parameter-properties': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'enums are not erasable; use a union of literals' },
        { selector: 'TSModuleDeclaration[declare=false]', message: 'namespaces are not erasable' },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', fetch: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
  },
);
