// ESLint: typescript-eslint (type-aware rules off for speed; tsc/vue-tsc type-check separately),
// eslint-plugin-vue for the renderer, Prettier owns formatting.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'
import prettier from 'eslint-config-prettier'
import globals from 'globals'

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      'test-results/',
      'playwright-report/',
      'bench/.data/',
      '**/*.gen.ts',
      'src-workers/linalg/wasm/assembly/**'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } }
  },
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node }
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-constant-condition': ['error', { checkLoops: false }]
    }
  },
  {
    files: ['src-renderer/**', 'test/web/**', 'test/e2e/**'],
    languageOptions: { globals: { ...globals.browser } }
  },
  {
    // Published coefficient tables (Cody's erf, SELU's λ and α) are quoted with all their
    // digits on purpose; the nearest double is what runs.
    files: [
      'src-workers/nn/erf.ts',
      'src-workers/nn/activations.ts',
      'test/unit/sessions/codec.test.ts'
    ],
    rules: { 'no-loss-of-precision': 'off' }
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  },
  {
    // Layering rules from DESIGN.md: workers never reach into main or the renderer; the
    // renderer never reaches into main or workers; the contract imports no code but its own.
    files: ['src-workers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['**/src-main/**', '**/src-renderer/**', 'electron', 'vue', 'pinia'] }
      ]
    }
  },
  {
    files: ['src-renderer/**/*.{ts,vue}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['**/src-main/**', '**/src-workers/**', 'electron', 'node:*'] }
      ]
    }
  },
  {
    // The contract is an allowlist: zod and its own files, nothing else.
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod$|\\./[\\w.-]+$)',
              message: 'src-shared imports only zod and its own files (./name).'
            }
          ]
        }
      ]
    }
  },
  {
    // The LabService is Electron-free: the desktop shell (src-main/*.ts) is the only importer.
    files: ['src-main/lab/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'src-main/lab never imports electron.' }],
          patterns: [
            { group: ['electron/*'], message: 'src-main/lab never imports electron.' },
            { group: ['**/src-renderer/**'], message: 'src-main never imports the renderer.' }
          ]
        }
      ]
    }
  },
  prettier
)
