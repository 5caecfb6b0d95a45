import js from '@eslint/js'
import pluginVue from 'eslint-plugin-vue'
import vueI18n from '@intlify/eslint-plugin-vue-i18n'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/**
 * Layers: src/protocol, src/timeline and the pure modules beside them (src/sending, src/artillery, src/fanout) are plain
 * TypeScript that also runs in Node (docs/architecture.md).
 */
const pureLayerImports = {
  patterns: [
    { group: ['vue', 'vue/*', '@vue/*', 'pinia', '@vueuse/*'], message: 'The pure layers (protocol, timeline, sending, artillery, fanout) must not depend on Vue or Pinia.' },
    { group: ['@/stores/*', '@/components/*', '@/composables/*', '**/stores/*', '**/components/*', '**/composables/*'], message: 'Imports only flow downward: the pure layers cannot import the UI layers.' },
    { group: ['**/dev-server/**'], message: 'src/ imports nothing from dev-server/.' },
    { group: ['vue-i18n', '@/i18n', '@/i18n/*', '**/i18n', '**/i18n/*'], message: 'The pure layers name messages (MessageRef), the UI puts them into words.' },
  ],
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/no-v-html': 'error',
      // One way to change a session: the sessions store's actions. Components call them or emit intents, and never
      // write into a prop (a session, its settings, its view state).
      'vue/no-mutating-props': 'error',
      'no-restricted-syntax': ['error', { selector: "MemberExpression[property.name='innerHTML']", message: 'Server data is rendered as text: never innerHTML.' }],
    },
  },
  // Every word a person reads goes through the catalogues (src/i18n, docs/i18n.md): no raw text in templates.
  // Symbols, numbers and punctuation are not words.
  {
    files: ['src/**/*.vue'],
    plugins: { '@intlify/vue-i18n': vueI18n },
    rules: {
      '@intlify/vue-i18n/no-raw-text': ['error', {
        ignorePattern: '^[\\s\\d\\p{P}\\p{S}]*$',
        attributes: { '/.+/': ['title', 'aria-label', 'placeholder', 'alt', 'aria-description', 'label'] },
      }],
    },
  },
  {
    files: ['src/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/dev-server/**'], message: 'src/ imports nothing from dev-server/.' }] }] },
  },
  // Last, so it wins over the src/** rule above for the pure layers.
  {
    files: ['src/protocol/**', 'src/timeline/**', 'src/sending/**', 'src/artillery/**', 'src/fanout/**'],
    rules: { 'no-restricted-imports': ['error', pureLayerImports] },
  },
)
