/**
 * The Socket.IO composer (plain textarea fields, as before the editor loads): every argument type reaches a real
 * Socket.IO server as that type, text that looks like JSON and does not parse is flagged and refused, an explicit
 * JSON type requires JSON, an empty Message means "no arguments", and binary arguments come from hex, base64 or a
 * file (picked, or dropped on the field).
 */
import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import ComposerPanel from '../../src/components/composer/ComposerPanel.vue'
import { useSessionsStore } from '../../src/stores/sessions'
import { useFreshStores } from '../support/freshStores'
import { mountInDocument } from '../support/mount'
import { closeLoopbackServers, socketIoServer } from '../support/servers'

/** A server that keeps every event it receives (name and arguments, binary as Buffers). */
async function recordingServer(): Promise<{ url: string, received: { name: string, args: unknown[] }[] }> {
  const received: { name: string, args: unknown[] }[] = []
  const { io, url } = await socketIoServer({ cors: { origin: '*' } })
  io.on('connection', (socket) => {
    socket.onAny((name: string, ...args: unknown[]) => { received.push({ name, args }) })
  })
  return { url, received }
}

async function connectedComposer() {
  const { url, received } = await recordingServer()
  const store = useSessionsStore()
  const session = store.add({ url, type: 'socketio' })
  const wrapper = mountInDocument(ComposerPanel, { props: { session } })
  await store.connect(session)
  await vi.waitFor(() => expect(session.state).toBe('open'), { timeout: 8000 })
  await wrapper.get('input[aria-label="Event name"]').setValue('check')
  return { session, wrapper, received, store }
}

function dropEvent(file: File): Event {
  const event = new Event('drop', { bubbles: true, cancelable: true })
  Object.defineProperty(event, 'dataTransfer', { value: { files: [file], types: ['Files'] } })
  return event
}

describe('the Socket.IO composer', () => {
  useFreshStores()
  afterEach(closeLoopbackServers)

  it('sends each argument as its type', async () => {
    const { session, wrapper, received } = await connectedComposer()
    await wrapper.get('textarea[aria-label="Message"]').setValue('{"room":"lobby"}')
    const types = ['json', 'string', 'number', 'boolean', 'null', 'binary', 'binary', 'auto', 'auto']
    const texts = ['[1, {"b": 2}]', '42', ' 3.5 ', 'TRUE', 'anything', 'ff 00 0x7f', 'AQID', '7', 'plain words']
    for (const [i, type] of types.entries()) {
      await wrapper.get('button.add').trigger('click')
      await wrapper.get(`select[aria-label="Type of argument ${i + 2}"]`).setValue(type)
      await wrapper.get(`textarea[aria-label="Argument ${i + 2}"]`).setValue(texts[i])
    }
    await wrapper.get('select[aria-label="Binary input of argument 8"]').setValue('base64')
    expect(wrapper.get('textarea[aria-label="Argument 8"]').attributes('placeholder')).toBe('SGVsbG8=')
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(received).toHaveLength(1))
    const args = received[0]!.args
    expect(args.slice(0, 6)).toEqual([{ room: 'lobby' }, [1, { b: 2 }], '42', 3.5, true, null])
    expect([...(args[6] as Buffer)]).toEqual([0xFF, 0x00, 0x7F])
    expect([...(args[7] as Buffer)]).toEqual([1, 2, 3])
    expect(args.slice(8)).toEqual([7, 'plain words'])
    expect(session.composer.result).toBeUndefined()
  })

  it('flags text that looks like JSON but is not, refuses to send it, and sends it as a string when the type says so', async () => {
    const { session, wrapper, received } = await connectedComposer()
    await wrapper.get('textarea[aria-label="Message"]').setValue('{"room": lobby}')
    // Flagged as it is typed, with the position.
    expect(wrapper.get('[data-json-problem]').text()).toBe('unexpected "l" (line 1, column 10)')
    expect(wrapper.get('button[aria-label="Format JSON"]').attributes('disabled')).toBeDefined()
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(wrapper.get('[role="status"]').text()).toBe('Argument 1: Not sent: this looks like JSON but is not valid (Not valid JSON at line 1, column 10: unexpected "l".). To send it as text, choose the type String.'))
    await wrapper.get('select[aria-label="Type of argument 1"]').setValue('string')
    expect(wrapper.find('[data-json-problem]').exists()).toBe(false)
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(received).toEqual([{ name: 'check', args: ['{"room": lobby}'] }]))
    expect(session.composer.firstArgType).toBe('string')
  })

  it('requires JSON for the type JSON, and Format pretty-prints it', async () => {
    const { session, wrapper, received } = await connectedComposer()
    await wrapper.get('select[aria-label="Type of argument 1"]').setValue('json')
    await wrapper.get('textarea[aria-label="Message"]').setValue('hello')
    expect(wrapper.get('[data-json-problem]').text()).toBe('unexpected "h" (line 1, column 1)')
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(wrapper.get('[role="status"]').text()).toBe('Argument 1: Not valid JSON at line 1, column 1: unexpected "h".'))
    await wrapper.get('textarea[aria-label="Message"]').setValue('{"a":[1,2]}')
    await wrapper.get('button[aria-label="Format JSON"]').trigger('click')
    expect(session.composer.message).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}')
    expect((wrapper.get('textarea[aria-label="Message"]').element as HTMLTextAreaElement).value).toBe(session.composer.message)
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(received).toEqual([{ name: 'check', args: [{ a: [1, 2] }] }]))
    expect(received).toHaveLength(1)
  })

  it('an empty Message sends the event with no arguments, and says so first', async () => {
    const { wrapper, received } = await connectedComposer()
    expect(wrapper.get('[data-no-arguments]').text()).toBe('Message empty: the event is sent with no arguments.')
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(received).toEqual([{ name: 'check', args: [] }]))
    // With a second argument, argument 1 cannot be left out: empty is refused.
    await wrapper.get('button.add').trigger('click')
    expect(wrapper.find('[data-no-arguments]').exists()).toBe(false)
    await wrapper.get('textarea[aria-label="Argument 2"]').setValue('2')
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(wrapper.get('[role="status"]').text()).toBe('Argument 1: Empty: write a value, or choose the type String to send an empty string.'))
    expect(received).toHaveLength(1)
  })

  it('binary arguments from a picked file and from a file dropped on an argument', async () => {
    const { session, wrapper, received } = await connectedComposer()
    await wrapper.get('select[aria-label="Type of argument 1"]').setValue('binary')
    await wrapper.get('select[aria-label="Binary input"]').setValue('file')
    expect(wrapper.find('textarea[aria-label="Message"]').exists()).toBe(false)
    const input = wrapper.get('input[type="file"][data-file-for="Message"]')
    Object.defineProperty(input.element, 'files', { value: [new File([new Uint8Array([1, 2, 3])], 'first.bin')], configurable: true })
    await input.trigger('change')
    await vi.waitFor(() => expect(wrapper.get('[data-chosen-file]').text()).toBe('first.bin · 3 bytes'))

    await wrapper.get('button.add').trigger('click')
    const second = wrapper.findAll('.argument')[1]!
    second.element.dispatchEvent(dropEvent(new File([new Uint8Array([0xCA, 0xFE])], 'second.bin')))
    await vi.waitFor(() => expect(session.composer.extraArgs[0]?.file?.name).toBe('second.bin'))
    expect(session.composer.extraArgs[0]).toMatchObject({ type: 'binary', binaryInput: 'file' })
    // The drop went to argument 2, not the Message.
    expect(session.composer.file?.name).toBe('first.bin')

    await wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(received).toHaveLength(1))
    expect(received[0]!.args.map(a => [...(a as Buffer)])).toEqual([[1, 2, 3], [0xCA, 0xFE]])
  })
})
