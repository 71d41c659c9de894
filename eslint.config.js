import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', '.scratch/', 'bench/results/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      // Test helpers read untyped GraphQL JSON; `any` there is honest.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // type-graphql types are classes with decorators; their interfaces merge on purpose.
      '@typescript-eslint/no-unsafe-declaration-merging': 'off',
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@mikro-orm/*', 'type-graphql', 'graphql', 'dataloader', 'node:*', 'pino'],
              message: 'src/domain is pure: no ORM, GraphQL or I/O.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/db/**/*.ts', 'src/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['type-graphql', 'graphql', '**/graphql/**'],
              message: 'GraphQL lives in src/graphql only.',
            },
          ],
        },
      ],
    },
  },
  {
    // Reading and planning a spreadsheet is pure apart from the file: it runs on a worker thread.
    files: ['src/sheets/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\.?/(\\.\\./)*(graphql|server|services|db|cli)/',
              message:
                'src/sheets reads and plans files: no database, services, GraphQL, HTTP or CLI.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/graphql/**/*.ts', 'src/config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\.?/(\\.\\./)*(server|cli)/',
              message: 'HTTP and the command line sit above: import them from there, not here.',
            },
          ],
        },
      ],
    },
  },
);
