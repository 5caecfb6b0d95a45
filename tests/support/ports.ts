/** Loopback ports for servers of a test's own, and one where nothing listens. Node only: `node:net`, nothing more. */
import { createServer, type AddressInfo, type Server } from 'node:net'

/** Listens on a free loopback port; resolves with the port. */
export function listenOnLoopback(server: Server): Promise<number> {
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)))
}

/** A loopback port nothing listens on: a free one, bound and let go. */
export async function closedPort(): Promise<number> {
  const server = createServer()
  const port = await listenOnLoopback(server)
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}
