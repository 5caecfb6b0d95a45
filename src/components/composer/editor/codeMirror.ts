/**
 * The composer's code editor: CodeMirror 6, loaded lazily (CodeEditor.vue imports this module with `import()`, so
 * none of it is in the app's first bundle; until it arrives the field is a plain textarea with the same name).
 *
 * Under the app's Content-Security-Policy (style-src 'self', no 'unsafe-inline', vite.config.ts): CodeMirror's
 * styles come from style-mod, which writes a <style> element when the editor lives in a document (the policy refuses
 * it) and a constructed stylesheet (`adoptedStyleSheets`) when it lives in a shadow root. A constructed sheet is not
 * an inline style, so the policy lets it apply (tests/e2e/csp.spec.ts and composer-editor.spec.ts watch for a single
 * refusal). So the editor is mounted in an open shadow root of its host element: the app's CSS variables inherit
 * into it (the theme below uses them, light and dark), accessibility and Playwright's role queries pierce it.
 * Inline styles CodeMirror sets at run time go through the CSSOM (`element.style`), which the policy does not govern.
 */
import { Compartment, EditorState, type Extension, StateEffect } from '@codemirror/state'
import { drawSelection, EditorView, highlightSpecialChars, keymap, placeholder } from '@codemirror/view'
import { defaultKeymap, history, historyKeymap, isolateHistory } from '@codemirror/commands'
import { bracketMatching, HighlightStyle, syntaxHighlighting } from '@codemirror/language'
import { json } from '@codemirror/lang-json'
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint'
import { tags } from '@lezer/highlight'

export interface EditorProblem {
  from: number
  to: number
  message: string
}

export interface EditorOptions {
  /** The element the editor is mounted in (in a shadow root of its own). */
  host: HTMLElement
  doc: string
  label: string
  placeholder: string
  rows: number
  /** JSON colours and bracket matching for JSON; plain text otherwise. */
  json: boolean
  /** CodeMirror's own few words (screen-reader announcements, titles) in the UI's language. */
  phrases: Record<string, string>
  /** The problem to mark (invalid JSON), or undefined; called as the person types and on `relint`. */
  diagnose: (text: string) => EditorProblem | undefined
  onChange: (text: string) => void
  onSubmit: () => void
}

export interface EditorHandle {
  /** Take text set from outside (history recall, a snippet, Format): the view follows, as one undoable change. */
  setText: (text: string) => void
  setLabel: (label: string) => void
  setPlaceholder: (text: string) => void
  setJson: (on: boolean) => void
  setPhrases: (phrases: Record<string, string>) => void
  /** Check again now (the type or the language changed). */
  relint: () => void
  focus: (at?: number) => void
  destroy: () => void
  readonly view: EditorView
}

const LINE_HEIGHT_EM = 1.4

/** Check the text again (the type or the language changed, not the text). */
const relintEffect = StateEffect.define<null>()

/** Colours from the app's palette (src/styles.css), the same as the JSON tree's: they follow the theme. */
const highlight = HighlightStyle.define([
  { tag: tags.propertyName, color: 'var(--accent)' },
  { tag: tags.string, color: 'var(--ok)' },
  { tag: tags.number, color: 'var(--in)' },
  { tag: [tags.bool, tags.null], color: 'var(--local)' },
  { tag: [tags.brace, tags.squareBracket, tags.separator, tags.punctuation], color: 'var(--text-dim)' },
  { tag: tags.invalid, color: 'var(--danger)' },
])

function theme(rows: number): Extension {
  return EditorView.theme({
    '&': {
      color: 'var(--text)',
      backgroundColor: 'var(--bg-input)',
      border: '1px solid var(--border)',
      borderRadius: '4px',
      fontSize: '13px',
    },
    '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '1px' },
    '.cm-scroller': {
      fontFamily: 'var(--mono)',
      lineHeight: `${LINE_HEIGHT_EM}`,
      minHeight: `calc(${rows * LINE_HEIGHT_EM}em + 8px)`,
      maxHeight: '40vh',
      overflow: 'auto',
    },
    '.cm-content': { padding: '4px 0', caretColor: 'var(--text)' },
    '.cm-line': { padding: '0 6px' },
    '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground': {
      backgroundColor: 'color-mix(in srgb, var(--accent) 30%, transparent)',
    },
    '.cm-cursor': { borderLeftColor: 'var(--text)' },
    '.cm-placeholder': { color: 'var(--text-dim)' },
    '.cm-gutters': { backgroundColor: 'var(--bg-input)', border: 'none', color: 'var(--text-dim)' },
    '&.cm-focused .cm-matchingBracket': { backgroundColor: 'color-mix(in srgb, var(--accent) 25%, transparent)', outline: '1px solid var(--accent)' },
    '&.cm-focused .cm-nonmatchingBracket': { backgroundColor: 'color-mix(in srgb, var(--danger) 25%, transparent)' },
    '.cm-tooltip': { backgroundColor: 'var(--bg-raised)', color: 'var(--text)', border: '1px solid var(--border)', fontFamily: 'var(--sans)' },
    '.cm-diagnostic-error': { borderLeftColor: 'var(--danger)' },
    // @codemirror/lint draws its underline and gutter dot as data: SVG images, which img-src 'self' refuses: CSS here.
    '.cm-lintRange-error': { textDecoration: 'underline wavy var(--danger)', textDecorationSkipInk: 'none', backgroundImage: 'none' },
    '.cm-lint-marker-error': { content: 'normal', width: '0.6em', height: '0.6em', margin: '0.3em 0.2em', borderRadius: '50%', backgroundColor: 'var(--danger)' },
  })
}

export function createEditor(options: EditorOptions): EditorHandle {
  const shadow = options.host.shadowRoot ?? options.host.attachShadow({ mode: 'open' })
  const parent = document.createElement('div')
  shadow.replaceChildren(parent)

  const label = new Compartment()
  const hint = new Compartment()
  const language = new Compartment()
  const words = new Compartment()
  let external = false

  const labelled = (name: string): Extension => EditorView.contentAttributes.of({ 'aria-label': name, 'role': 'textbox', 'aria-multiline': 'true' })
  const languageOf = (on: boolean): Extension => on ? [json(), bracketMatching()] : []

  const view = new EditorView({
    parent,
    root: shadow,
    state: EditorState.create({
      doc: options.doc,
      extensions: [
        label.of(labelled(options.label)),
        hint.of(placeholder(options.placeholder)),
        language.of(languageOf(options.json)),
        words.of(EditorState.phrases.of(options.phrases)),
        history(),
        drawSelection(),
        highlightSpecialChars(),
        syntaxHighlighting(highlight),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ spellcheck: 'false', autocapitalize: 'off', autocorrect: 'off' }),
        linter((v) => {
          const problem = options.diagnose(v.state.doc.toString())
          if (!problem) return []
          const diagnostic: Diagnostic = { from: problem.from, to: problem.to, severity: 'error', message: problem.message }
          return [diagnostic]
        }, { delay: 200, needsRefresh: update => update.transactions.some(tr => tr.effects.some(effect => effect.is(relintEffect))) }),
        lintGutter(),
        // Ctrl/Cmd+Enter sends, ahead of every other binding; Tab is left to move focus (no indentWithTab).
        keymap.of([{ key: 'Mod-Enter', run: () => {
          options.onSubmit()
          return true
        }, preventDefault: true }, ...historyKeymap, ...defaultKeymap]),
        // A dropped file is the composer's (sent as binary, attachFile.ts), not text to paste into the field.
        EditorView.domEventHandlers({ drop: event => (event.dataTransfer?.files.length ?? 0) > 0 }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && !external) options.onChange(update.state.doc.toString())
        }),
        theme(options.rows),
      ],
    }),
  })

  return {
    view,
    setText(text) {
      const current = view.state.doc.toString()
      if (text === current) return
      external = true
      try {
        // Keep the unchanged start and end, so the cursor stays put where the text did not change.
        let start = 0
        while (start < text.length && start < current.length && text[start] === current[start]) start++
        let endCurrent = current.length
        let endText = text.length
        while (endCurrent > start && endText > start && text[endText - 1] === current[endCurrent - 1]) {
          endCurrent--
          endText--
        }
        // Its own undo step (Ctrl+Z undoes a Format or a recall, not the typing just before it as well).
        view.dispatch({ changes: { from: start, to: endCurrent, insert: text.slice(start, endText) }, annotations: isolateHistory.of('full') })
      }
      finally {
        external = false
      }
    },
    setLabel(name) {
      view.dispatch({ effects: label.reconfigure(labelled(name)) })
    },
    setPlaceholder(text) {
      view.dispatch({ effects: hint.reconfigure(placeholder(text)) })
    },
    setJson(on) {
      view.dispatch({ effects: language.reconfigure(languageOf(on)) })
    },
    setPhrases(phrases) {
      view.dispatch({ effects: words.reconfigure(EditorState.phrases.of(phrases)) })
    },
    relint() {
      view.dispatch({ effects: relintEffect.of(null) })
    },
    focus(at) {
      if (at !== undefined) view.dispatch({ selection: { anchor: Math.min(at, view.state.doc.length) } })
      view.focus()
    },
    destroy() {
      view.destroy()
      shadow.replaceChildren()
    },
  }
}
