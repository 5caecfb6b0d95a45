/**
 * The app's keyboard shortcuts: one document listener (installed by App.vue), and the list the "Keyboard shortcuts"
 * sheet shows. Single keys act only when no text field has the focus, and never with Ctrl, Alt or ⌘ (the browser's
 * own shortcuts stay theirs); a key a component already handled (`defaultPrevented`: the composer's Ctrl+Enter, the
 * timeline list's arrows) is left alone. Nothing acts while a dialog is open. Everything goes through store actions.
 */
import { onBeforeUnmount, onMounted } from 'vue'
import { i18n } from '@/i18n'
import { isBusy } from '@/stores/sessionEdits'
import { usePresetsStore } from '@/stores/presets'
import { useSessionsStore } from '@/stores/sessions'

export type ShortcutAction = 'help' | 'connect' | 'send' | 'filter' | 'pause' | 'clear' | 'next' | 'previous' | 'navigate' | 'close'

/** What the sheet lists: each action with its keys (alternatives; each a chord of key names, shown as they are). */
export const SHORTCUTS: readonly { action: ShortcutAction, keys: readonly (readonly string[])[] }[] = [
  { action: 'help', keys: [['?']] },
  { action: 'connect', keys: [['C']] },
  { action: 'send', keys: [['Ctrl', 'Enter'], ['⌘', 'Enter']] },
  { action: 'filter', keys: [['/']] },
  { action: 'pause', keys: [['P']] },
  { action: 'clear', keys: [['X']] },
  { action: 'next', keys: [[']']] },
  { action: 'previous', keys: [['[']] },
  { action: 'navigate', keys: [['↑'], ['↓'], ['PgUp'], ['PgDn'], ['Home'], ['End']] },
  { action: 'close', keys: [['Esc']] },
]

/** A field that takes typing: there, a letter is a letter. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false
  if (target.closest('[contenteditable=""], [contenteditable="true"], [role="textbox"]')) return true
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true
  if (target instanceof HTMLInputElement) {
    return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file', 'image'].includes(target.type)
  }
  return false
}

/** The action a key press asks for, or undefined when it is not a shortcut here. */
export function shortcutFor(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>, typing: boolean): ShortcutAction | undefined {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey) return typing ? undefined : 'send'
  if (typing || event.ctrlKey || event.metaKey || event.altKey) return undefined
  switch (event.key) {
    case '?': return 'help'
    case 'c': case 'C': return event.shiftKey ? undefined : 'connect'
    case '/': return 'filter'
    case 'p': case 'P': return event.shiftKey ? undefined : 'pause'
    case 'x': case 'X': return event.shiftKey ? undefined : 'clear'
    case ']': return 'next'
    case '[': return 'previous'
    default: return undefined
  }
}

/** The shown session's timeline filter field (TimelineFilterBar), found by its accessible name. */
function filterField(): HTMLInputElement | null {
  const name = i18n.global.t('timeline.filter.text')
  return document.querySelector<HTMLInputElement>(`input[aria-label="${CSS.escape(name)}"]`)
}

/** Run `action` on the shown session; false when there was nothing to do. */
export function runShortcut(action: ShortcutAction): boolean {
  const sessions = useSessionsStore()
  const presets = usePresetsStore()
  const session = sessions.active
  switch (action) {
    case 'help':
      presets.openShortcuts()
      return true
    case 'connect':
      if (!session || session.readOnly) return false
      if (isBusy(session)) sessions.disconnect(session)
      else void sessions.connect(session)
      return true
    case 'send':
      if (!session || session.readOnly || session.state !== 'open') return false
      void sessions.sendComposed(session)
      return true
    case 'filter': {
      const field = filterField()
      field?.focus()
      field?.select()
      return field !== null
    }
    case 'pause':
      if (!session || session.readOnly) return false
      sessions.setPaused(session.id, !session.view.paused)
      return true
    case 'clear':
      if (!session || session.readOnly) return false
      sessions.clearTimeline(session.id)
      return true
    case 'next':
    case 'previous': {
      const list = sessions.sessions
      if (list.length < 2 || !session) return false
      const at = list.indexOf(session)
      sessions.activeId = list[(at + (action === 'next' ? 1 : -1) + list.length) % list.length]!.id
      return true
    }
    default:
      return false
  }
}

function onKeydown(event: KeyboardEvent): void {
  if (event.defaultPrevented || event.isComposing || event.repeat) return
  // A dialog (Start here, this sheet, the browser's own) has the keyboard.
  if (document.querySelector('dialog[open]')) return
  const action = shortcutFor(event, isTypingTarget(event.target))
  if (action && runShortcut(action)) event.preventDefault()
}

/** Install the shortcuts for the component's lifetime (App.vue). */
export function useShortcuts(): void {
  onMounted(() => document.addEventListener('keydown', onKeydown))
  onBeforeUnmount(() => document.removeEventListener('keydown', onKeydown))
}
