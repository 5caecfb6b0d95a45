/**
 * The driver Worker: every session's sockets live here (./host.ts); the page keeps the timelines and the UI.
 * The local-network permission is followed here too (the Permissions API works in a dedicated worker).
 */
import { currentLocalNetworkPermission, watchLocalNetworkPermission } from '../localNetwork'
import { DriverHost } from './host'
import type { FromHost, ToHost } from './messages'

const scope = globalThis as unknown as { onmessage: ((event: MessageEvent<ToHost>) => void) | null, postMessage: (message: FromHost, transfer?: Transferable[]) => void }

watchLocalNetworkPermission()
const host = new DriverHost((message, transfer) => scope.postMessage(message, transfer ?? []), { localNetworkPermission: currentLocalNetworkPermission })
scope.onmessage = event => host.receive(event.data)
scope.postMessage({ t: 'ready' })
