/**
 * How the inspector learns the dev server's control token: `npm start` (and the end-to-end setup) serve it at
 * `/__socketlens/dev-server.json` on the inspector's own origin, through this Vite plugin. The answer carries no CORS
 * headers (not even those Vite adds for localhost origins), so a page on another origin cannot read it; requests a browser marks as coming from another site are
 * refused outright, and only loopback `Host` names are answered (DNS rebinding). See control-access.ts.
 *
 *   preview({ plugins: [devServerInfoPlugin(() => info)] })  // info: { controlUrl, token, urls } or undefined while starting
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Plugin } from 'vite'

export const DEV_SERVER_INFO_PATH = '/__socketlens/dev-server.json'

/** The message dev-server/main.ts sends over IPC once it listens (its fields are the JSON's, but for the token). */
export const DEV_SERVER_READY = 'socketlens:dev-server-ready'

export interface DevServerInfo {
  /** The control API, e.g. `http://127.0.0.1:3099`. */
  controlUrl: string
  /** Send as `Authorization: Bearer <token>` to the control API, or as `auth: { token }` to `__control`. */
  token: string
  /** Every endpoint (`DevServerUrls`). */
  urls: Record<string, string>
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]'])

/** `localhost:5173` → `localhost`, `[::1]:5173` → `[::1]`. */
function hostName(host: string | undefined): string {
  const h = (host ?? '').trim().toLowerCase()
  return h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.replace(/:\d*$/, '')
}

function json(res: ServerResponse, status: number, body: unknown): void {
  // Vite's own CORS middleware (on by default for localhost origins) runs first: take back what it allowed.
  for (const name of res.getHeaderNames()) {
    if (name.startsWith('access-control-')) res.removeHeader(name)
  }
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Resource-Policy': 'same-origin',
  })
  res.end(JSON.stringify(body))
}

/** The request handler (exported for tests); `next` for every other path. */
export function devServerInfoHandler(getInfo: () => DevServerInfo | undefined) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const path = (req.url ?? '').split('?')[0]
    if (path !== DEV_SERVER_INFO_PATH) {
      next()
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD')
      json(res, 405, { error: 'use GET' })
      return
    }
    if (!LOOPBACK_NAMES.has(hostName(req.headers.host))) {
      json(res, 421, { error: 'the dev server\'s token is served to localhost only' })
      return
    }
    // Fetch metadata: only the inspector's own pages (same-origin) or a typed-in address (none) may read it.
    const site = req.headers['sec-fetch-site']
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      json(res, 403, { error: 'the dev server\'s token is for the inspector\'s own pages only' })
      return
    }
    const info = getInfo()
    if (!info) {
      json(res, 503, { error: 'the dev server is starting or not running' })
      return
    }
    json(res, 200, info)
  }
}

/** A Vite plugin serving {@link DEV_SERVER_INFO_PATH} from `vite preview` and `vite` (dev). */
export function devServerInfoPlugin(getInfo: () => DevServerInfo | undefined): Plugin {
  const handler = devServerInfoHandler(getInfo)
  return {
    name: 'socketlens-dev-server-info',
    configureServer(server) {
      server.middlewares.use(handler)
    },
    configurePreviewServer(server) {
      server.middlewares.use(handler)
    },
  }
}
