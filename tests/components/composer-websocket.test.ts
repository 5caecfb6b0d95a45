/**
 * The raw WebSocket composer (plain textarea, as before the editor loads): an empty Message is not sent, invalid JSON
 * is flagged with its position and refused, Format pretty-prints, and binary comes from hex, base64 or a file
 * (picked, or dropped anywhere on the composer; over 64 MiB refused). What Send would send is read by the same
 * function sendComposed uses (composedMessage); tests/e2e/composer-editor.spec.ts sends it to /echo in Chromium.
 */
import 'fake-indexeddb/auto'
import { describe, expect, it, vi } from 'vitest'
import ComposerPanel from '../../src/components/composer/ComposerPanel.vue'
import { composedMessage, MAX_BINARY_BYTES } from '../../src/stores/composerPayload'
import { useSessionsStore } from '../../src/stores/sessions'
import { useFreshStores } from '../support/freshStores'
import { mountInDocument } from '../support/mount'

function composer() {
  const store = useSessionsStore()
  const session = store.add({ url: 'ws://127.0.0.1:1/', type: 'ws' })
  const wrapper = mountInDocument(ComposerPanel, { props: { session } })
  return { session, wrapper }
}

function dropEvent(file: File): Event {
  const event = new Event('drop', { bubbles: true, cancelable: true })
  Object.defineProperty(event, 'dataTransfer', { value: { files: [file], types: ['Files'] } })
  return event
}

describe('the WebSocket composer', () => {
  useFreshStores()

  it('says an empty Message is empty and sends nothing: the placeholder is not content', async () => {
    const { session, wrapper } = composer()
    expect(wrapper.get('textarea[aria-label="Message"]').attributes('placeholder')).toBe('hello')
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(wrapper.get('[role="status"]').text()).toBe('The Message is empty: nothing was sent.'))
    await wrapper.get('select[aria-label="Payload format"]').setValue('binary')
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(wrapper.get('[role="status"]').text()).toBe('No bytes: write them in hex or base64, or choose a file.'))
    expect(session.timeline.length).toBe(0)
  })

  it('flags invalid JSON with its position, refuses it on Send, and formats valid JSON', async () => {
    const { session, wrapper } = composer()
    await wrapper.get('select[aria-label="Payload format"]').setValue('json')
    await wrapper.get('textarea[aria-label="Message"]').setValue('{"a": 1,\n "b": }')
    expect(wrapper.get('[data-json-problem]').text()).toBe('unexpected "}" (line 2, column 7)')
    expect(wrapper.get('button[title^="Pretty-print"]').attributes('disabled')).toBeDefined()
    await wrapper.get('textarea[aria-label="Message"]').trigger('keydown', { key: 'Enter', ctrlKey: true })
    await vi.waitFor(() => expect(wrapper.get('[role="status"]').text()).toBe('Not valid JSON at line 2, column 7: unexpected "}".'))
    expect(session.timeline.length).toBe(0)

    await wrapper.get('textarea[aria-label="Message"]').setValue('{"a":1,"b":[true]}')
    expect(wrapper.find('[data-json-problem]').exists()).toBe(false)
    await wrapper.get('button[title^="Pretty-print"]').trigger('click')
    expect(session.composer.message).toBe('{\n  "a": 1,\n  "b": [\n    true\n  ]\n}')
    expect((wrapper.get('textarea[aria-label="Message"]').element as HTMLTextAreaElement).value).toBe(session.composer.message)
    // Sent compact, as one text frame.
    expect(composedMessage('ws', session.composer)).toEqual({ ok: true, message: { kind: 'text', text: '{"a":1,"b":[true]}' } })
  })

  it('binary from hex (base64: prefix accepted) or from base64 without the prefix', async () => {
    const { session, wrapper } = composer()
    await wrapper.get('select[aria-label="Payload format"]').setValue('binary')
    const message = wrapper.get('textarea[aria-label="Message"]')
    await message.setValue('de ad be ef')
    expect(composedMessage('ws', session.composer)).toEqual({ ok: true, message: { kind: 'binary', data: new Uint8Array([0xDE, 0xAD, 0xBE, 0xEF]) } })
    await message.setValue('base64:3q2+7w==')
    expect(composedMessage('ws', session.composer)).toEqual({ ok: true, message: { kind: 'binary', data: new Uint8Array([0xDE, 0xAD, 0xBE, 0xEF]) } })
    await wrapper.get('select[aria-label="Binary input"]').setValue('base64')
    expect(wrapper.get('textarea[aria-label="Message"]').attributes('placeholder')).toBe('SGVsbG8=')
    await wrapper.get('textarea[aria-label="Message"]').setValue('3q2+7w==')
    expect(composedMessage('ws', session.composer)).toEqual({ ok: true, message: { kind: 'binary', data: new Uint8Array([0xDE, 0xAD, 0xBE, 0xEF]) } })
    await wrapper.get('textarea[aria-label="Message"]').setValue('3q2+7w==!')
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(wrapper.get('[role="status"]').text()).toBe('That is not valid base64.'))
  })

  it('a file from the picker: its name and size shown, its bytes sent, and not kept across a reload', async () => {
    const { session, wrapper } = composer()
    await wrapper.get('select[aria-label="Payload format"]').setValue('binary')
    await wrapper.get('select[aria-label="Binary input"]').setValue('file')
    // One field at a time: the file field replaces the Message.
    expect(wrapper.find('textarea[aria-label="Message"]').exists()).toBe(false)
    expect(wrapper.text()).toContain('No file chosen: choose one, or drop it on the composer.')
    expect(wrapper.text()).toContain('The file stays in this tab only: after a reload, choose it again.')
    const input = wrapper.get('input[type="file"][data-file-for="Message"]')
    const bytes = new Uint8Array(1234).map((_, i) => (i * 31) % 256)
    Object.defineProperty(input.element, 'files', { value: [new File([bytes], 'blob.bin')], configurable: true })
    await input.trigger('change')
    await vi.waitFor(() => expect(wrapper.get('[data-chosen-file]').text()).toBe('blob.bin · 1,234 bytes'))
    expect(composedMessage('ws', session.composer)).toEqual({ ok: true, message: { kind: 'binary', data: bytes } })
    // What is saved with the tab has no file in it.
    expect(JSON.stringify(session.composer)).not.toContain('blob.bin')
  })

  it('a file dropped on the composer switches it to binary from that file', async () => {
    const { session, wrapper } = composer()
    await wrapper.get('textarea[aria-label="Message"]').setValue('typed text stays')
    wrapper.get('form').element.dispatchEvent(dropEvent(new File([new Uint8Array([7, 8, 9])], 'dropped.bin')))
    await vi.waitFor(() => expect(session.composer.file?.name).toBe('dropped.bin'))
    expect(session.composer).toMatchObject({ format: 'binary', binaryInput: 'file', message: 'typed text stays' })
    expect(composedMessage('ws', session.composer)).toEqual({ ok: true, message: { kind: 'binary', data: new Uint8Array([7, 8, 9]) } })
  })

  it('refuses a file over 64 MiB before reading it, and says why', async () => {
    const { session, wrapper } = composer()
    const huge = new File([new Uint8Array(1)], 'huge.bin')
    Object.defineProperty(huge, 'size', { value: MAX_BINARY_BYTES + 1 })
    Object.defineProperty(huge, 'arrayBuffer', { value: () => { throw new Error('read a file that was too big') } })
    wrapper.get('form').element.dispatchEvent(dropEvent(huge))
    await vi.waitFor(() => expect(wrapper.get('[role="alert"]').text()).toBe('“huge.bin” is 67,108,865 bytes: files over 67,108,864 bytes are not sent.'))
    expect(session.composer.file).toBeUndefined()
  })
})
