import 'fake-indexeddb/auto'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import ImportButton from '../../src/components/session/ImportButton.vue'
import { setLocale } from '../../src/i18n'
import { mountInDocument, unmountAll } from '../support/mount'

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => unmountAll())

const HEADER = '{"format":"socketlens-timeline","version":1,"exportedAt":"T","events":2,"protocol":"ws"}'
const E1 = '{"seq":1,"time":1000,"layer":"wire","kind":"frame","dir":"in","data":"a"}'

/** Chooses `text` as the file, as a person would with the file picker. */
async function choose(wrapper: ReturnType<typeof mountInDocument>, name: string, text: string): Promise<void> {
  const input = wrapper.get('input[type="file"]')
  Object.defineProperty(input.element, 'files', { value: [new File([text], name)], configurable: true })
  await input.trigger('change')
}

describe('the timeline import button', () => {
  it('says what is wrong with a file in English, and in Korean once the language changes', async () => {
    const wrapper = mountInDocument(ImportButton)
    await choose(wrapper, 'bad.ndjson', [HEADER, E1, '{"seq":2,'].join('\n'))
    await vi.waitFor(() => expect(wrapper.find('[role="alert"]').exists()).toBe(true))
    expect(wrapper.get('[role="alert"]').text()).toMatch(/^bad\.ndjson: Line 3 is not valid JSON \(.+\)\. The file may be truncated or edited by hand\./)
    setLocale('ko', false)
    await nextTick()
    expect(wrapper.get('[role="alert"]').text()).toMatch(/^bad\.ndjson: 3번째 줄이 올바른 JSON이 아닙니다 \(.+\)\. 파일이 잘렸거나 직접 편집되었을 수 있습니다\./)
  })

  it('says a value found in the file as it is, and "nothing" in the reader\'s language', async () => {
    setLocale('ko', false)
    const wrapper = mountInDocument(ImportButton)
    await choose(wrapper, 'odd.ndjson', [HEADER, '{"seq":1,"time":1,"layer":"wire","kind":"frame"}', '{"seq":2,"time":2,"layer":"<b>x</b>","kind":"k","dir":"in"}'].join('\n'))
    await vi.waitFor(() => expect(wrapper.find('[role="alert"]').exists()).toBe(true))
    expect(wrapper.get('[role="alert"]').text()).toContain('odd.ndjson: 2번째 줄: "dir"는 in, out, local 중 하나여야 합니다. 받은 값: 없음.')
    await choose(wrapper, 'odd.ndjson', [HEADER, '{"seq":1,"time":1,"layer":"<b>x</b>","kind":"k","dir":"in"}'].join('\n'))
    await vi.waitFor(() => expect(wrapper.get('[role="alert"]').text()).toContain('받은 값: "<b>x</b>".'))
    expect(wrapper.find('[role="alert"] b').exists()).toBe(false)
  })

  it('warns of a truncated file in Korean', async () => {
    setLocale('ko', false)
    const wrapper = mountInDocument(ImportButton)
    await choose(wrapper, 'short.ndjson', [HEADER, E1].join('\n'))
    await vi.waitFor(() => expect(wrapper.find('p.warning[role="status"]').exists()).toBe(true))
    expect(wrapper.get('p.warning').text()).toContain('short.ndjson: 헤더에는 이벤트가 2개라고 되어 있지만 파일에는 1개가 있습니다. 파일이 잘렸을 수 있습니다.')
  })
})
