/**
 * The `reason` SocketLens itself writes on the events it records (a warning, an automatic choice, a buffered emit):
 * a short fixed phrase, kept as data — exports, searches and tests read it as it is, like a Socket.IO disconnect
 * reason ('transport close', 'io client disconnect'), which is the protocol's word and is never translated. What a
 * person reads is the message each phrase stands for (`protocol.reason.*`), in their language.
 *
 * A reason not listed here (the protocol's, a server's, a newer file's) is shown as it is.
 */
import type { TimelineEvent } from './events'
import { describeMessage, message, type MessageRef } from './message'

/** The fixed phrases, by the message they stand for. */
const FIXED: Readonly<Record<string, string>> = {
  'invalid URL': 'invalidUrl',
  'long-polling refused: WebSocket only': 'websocketOnly',
  'requests of one session reached different server nodes: WebSocket only would avoid it': 'differentNodes',
  'could not load the client': 'clientNotLoaded',
  'extraHeaders reach polling only': 'extraHeadersPollingOnly',
  'no WebTransport in Socket.IO v2': 'noWebTransportV2',
  'no retries in Socket.IO v2': 'noRetriesV2',
  'auth sent as query parameters': 'authAsQuery',
  'volatile event dropped: the transport was not writable': 'volatileDropped',
  'queued: with retries, one packet is in flight at a time until the server acknowledges it': 'queuedRetries',
  'queued behind a packet whose binary attachments are still being read': 'queuedAttachments',
  'the server speaks Engine.IO 3 (Socket.IO v2)': 'speaksEngineIo3',
  'the server speaks Engine.IO 4 (Socket.IO v3/v4): it refused the Engine.IO 3 handshake with code 5': 'speaksEngineIo4',
  'probe': 'probe',
  'the driver thread stopped': 'driverThreadStopped',
}

/** Phrases with a value in them: the pattern, the message, the value's name. Anchored, linear. */
const WITH_VALUE: ReadonlyArray<readonly [RegExp, string, string]> = [
  [/^not connected: sent when (.+) connects$/s, 'notConnected', 'namespace'],
  [/^Socket\.IO server found at path (.+)$/s, 'pathFound', 'path'],
  [/^connecting with the Socket\.IO (\S+) client$/, 'autoVersion', 'version'],
  [/^connecting with the (\S+) parser$/, 'autoParser', 'parser'],
  [/^a handshake arrived, then the transport closed without connect or connect_error: a parser mismatch \(this session used the (\S+) parser\)$/, 'parserMismatch', 'parser'],
  [/^parse error: (.*)$/s, 'parseError', 'error'],
]

/** The message a reason SocketLens wrote stands for; undefined for any other reason (shown as it is). */
export function reasonMessage(reason: string | undefined): MessageRef | undefined {
  if (!reason) return undefined
  const fixed = FIXED[reason]
  if (fixed !== undefined) return message(`protocol.reason.${fixed}`)
  for (const [pattern, key, name] of WITH_VALUE) {
    const found = pattern.exec(reason)
    if (found) return message(`protocol.reason.${key}`, { [name]: found[1]! })
  }
  return undefined
}

/**
 * An event's reason as a person reads it: SocketLens's own phrases in the UI's language, any other as it is. Only
 * events SocketLens words itself (local ones, and a warning about what it received) — never a close reason or error
 * a server sent, however it reads.
 */
export function reasonText(event: Pick<TimelineEvent, 'reason' | 'dir' | 'kind'>): string {
  const reason = event.reason
  if (!reason) return ''
  const ref = event.dir === 'local' || event.kind === 'warning' ? reasonMessage(reason) : undefined
  if (!ref) return reason
  // Without a UI to word it (Node, before start-up) a message is its key: the phrase itself reads better.
  const shown = describeMessage(ref)
  return shown === ref.key ? reason : shown
}
