/**
 * CodeEditor with the real CodeMirror module (PLAIN_EDITOR false): it replaces the textarea once its chunk has loaded,
 * with the same name and role and never two at once, emits what is typed, follows a value set from outside without
 * losing the cursor, and sends on Ctrl+Enter. Chromium runs it for real in tests/e2e/composer-editor.spec.ts.
 */
import { EditorView } from '@codemirror/view'
import { describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick, ref } from 'vue'
import CodeEditor from '../../src/components/composer/CodeEditor.vue'
import { loadCodeMirror, PLAIN_EDITOR } from '../../src/components/composer/editorLoader'
import { mountInDocument, unmountAll } from '../support/mount'

/** Every element named "Message", in the document and in open shadow roots. */
function messageFields(): Element[] {
  const found: Element[] = []
  const roots: (Document | ShadowRoot)[] = [document]
  while (roots.length > 0) {
    const root = roots.pop()!
    for (const element of root.querySelectorAll('*')) {
      if (element.getAttribute('aria-label') === 'Message') found.push(element)
      if (element.shadowRoot) roots.push(element.shadowRoot)
    }
  }
  return found
}

function mountEditor(initial = '') {
  const text = ref(initial)
  const submits = ref(0)
  const Parent = defineComponent(() => () => h(CodeEditor, {
    'modelValue': text.value,
    'label': 'Message',
    'placeholder': 'hello',
    'json': true,
    'check': 'json',
    'onUpdate:modelValue': (value: string) => { text.value = value },
    'onSubmit': () => { submits.value++ },
  }))
  const wrapper = mountInDocument(Parent, { global: { provide: { [PLAIN_EDITOR as symbol]: false } } })
  return { wrapper, text, submits }
}

async function loadedView(): Promise<EditorView> {
  await loadCodeMirror()
  let content: Element | undefined
  await vi.waitFor(() => {
    content = messageFields().find(el => el.classList.contains('cm-content'))
    expect(content).toBeDefined()
  })
  return EditorView.findFromDOM(content as HTMLElement)!
}

describe('CodeEditor with CodeMirror', () => {
  it('replaces the textarea with an editor of the same name and role, one at a time', async () => {
    mountEditor('{"a":1}')
    expect(messageFields().map(el => el.tagName)).toEqual(['TEXTAREA'])
    const view = await loadedView()
    const fields = messageFields()
    expect(fields).toHaveLength(1)
    expect(fields[0]!.getAttribute('role')).toBe('textbox')
    expect(fields[0]!.getAttribute('aria-multiline')).toBe('true')
    expect(view.state.doc.toString()).toBe('{"a":1}')
    unmountAll()
  })

  it('emits what is typed, follows a value set from outside and keeps the cursor, sends on Ctrl+Enter', async () => {
    const { text, submits } = mountEditor('abc')
    const view = await loadedView()
    view.dispatch({ changes: { from: 3, insert: 'd' }, selection: { anchor: 2 } })
    expect(text.value).toBe('abcd')

    // From outside (history recall, a snippet): the editor follows, the cursor stays where the text did not change.
    text.value = 'abcd and more'
    await nextTick()
    expect(view.state.doc.toString()).toBe('abcd and more')
    expect(view.state.selection.main.head).toBe(2)
    text.value = ''
    await nextTick()
    expect(view.state.doc.toString()).toBe('')

    view.contentDOM.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true, cancelable: true }))
    expect(submits.value).toBe(1)
    unmountAll()
  })
})
