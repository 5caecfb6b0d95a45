/**
 * The start-up banner: every endpoint, and deep links that open the inspector already pointed at it, in English or
 * Korean. Its words live with the app's (src/i18n/messages/<locale>/devServer.ts), read here as plain objects: the
 * dev server imports those catalogue files and nothing else from src/, and no vue-i18n.
 */
import en from '../src/i18n/messages/en/devServer.ts'
import ko from '../src/i18n/messages/ko/devServer.ts'
import { CONTROL_ACTIONS } from './control.ts'
import { browserHost, isLoopbackHost } from './net-util.ts'
import { RAW_WS_PATHS } from './raw-ws.ts'
import { CUSTOM_SOCKETIO_PATH, ROOM_MESSAGE_EVENT } from './socketio.ts'
import type { DevServerCluster, DevServerPorts } from './types.ts'

export const DEFAULT_INSPECTOR_URL = 'http://localhost:5173'

/** The languages the banner speaks (the app's: src/i18n). */
export type BannerLocale = 'en' | 'ko'

export interface BannerOptions {
  /** Where the inspector is served (default http://localhost:5173). */
  inspectorUrl?: string
  /** The banner's language (default English): `bannerLocale` reads it from `--lang` or the environment. */
  locale?: BannerLocale
}

const CATALOGUES: Readonly<Record<BannerLocale, typeof en.banner>> = { en: en.banner, ko: ko.banner }

/** `ko`, `ko_KR.UTF-8`, `ko-KR` → Korean; `en…`, `C`, `POSIX` and every other language → English. */
function localeOf(tag: string): BannerLocale {
  return /^ko(?:$|[-_.@])/i.test(tag.trim()) ? 'ko' : 'en'
}

/**
 * The banner's language: the `--lang` flag, else the environment's (LC_ALL, then LC_MESSAGES, then LANG, as POSIX
 * orders them; an empty one counts as unset), else undefined (English). A flag SocketLens does not speak is an error.
 */
export function bannerLocale(flag: string | undefined, env: NodeJS.ProcessEnv): BannerLocale | undefined {
  if (flag !== undefined) {
    const tag = flag.trim()
    if (!/^(?:en|ko)(?:$|[-_.@])/i.test(tag)) throw new Error(`--lang must be en or ko, got "${flag}"`)
    return localeOf(tag)
  }
  const tag = env.LC_ALL || env.LC_MESSAGES || env.LANG
  return tag ? localeOf(tag) : undefined
}

/**
 * A catalogue message with its values: `{name}` is a value, `{'…'}` a literal (vue-i18n's syntax, which the
 * catalogues are written in; the banner's messages use nothing else of it).
 */
export function fill(message: string, values: Readonly<Record<string, string | number>> = {}): string {
  return message.replace(/\{\s*(?:'([^']*)'|([A-Za-z_]\w*))\s*\}/g, (whole, literal: string | undefined, name: string | undefined) => {
    if (literal !== undefined) return literal
    const value = values[name!]
    return value === undefined ? whole : String(value)
  })
}

/** A raw WebSocket path's catalogue name: `/` → root, `/close-after` → closeAfter. */
function pathKey(path: string): string {
  const name = path.replace(/^\//, '').replace(/-(\w)/g, (_m, c: string) => c.toUpperCase())
  return name === '' ? 'root' : name
}

/** `http://localhost:5173/?url=<endpoint>&type=ws|socketio&connect=1[&path=...]` */
export function deepLink(endpoint: string, type: 'ws' | 'socketio', inspectorUrl = DEFAULT_INSPECTOR_URL, socketioPath?: string): string {
  const base = inspectorUrl.endsWith('/') ? inspectorUrl : `${inspectorUrl}/`
  const path = socketioPath && socketioPath !== '/socket.io' && socketioPath !== '/socket.io/' ? `&path=${encodeURIComponent(socketioPath)}` : ''
  return `${base}?url=${encodeURIComponent(endpoint)}&type=${type}&connect=1${path}`
}

export function formatBanner(
  server: {
    ports: Required<DevServerPorts>; adminToken: string; controlToken: string; controlOrigins: readonly string[]; status(): { host: string }
    cluster?: DevServerCluster
  },
  options: BannerOptions = {},
): string {
  const inspector = options.inspectorUrl ?? DEFAULT_INSPECTOR_URL
  const words = CATALOGUES[options.locale ?? 'en']
  const paths: Readonly<Record<string, string>> = words.paths
  const { host } = server.status()
  const h = browserHost(host)
  const { ws, wss, socketio, polling, socketioV2, msgpack, websocketOnly, customPath, httpOnly, control } = server.ports
  const wsBase = `ws://${h}:${ws}`
  const sio = `http://${h}:${socketio}`
  const poll = `http://${h}:${polling}`
  const sioV2 = `http://${h}:${socketioV2}`
  const pack = `http://${h}:${msgpack}`
  const wsOnly = `http://${h}:${websocketOnly}`
  const custom = `http://${h}:${customPath}`
  const origins = server.controlOrigins.length ? server.controlOrigins.join(' ') : fill(words.control.noOrigins)
  const openLink = (link: string) => `      ${fill(words.open, { link })}`
  const open = (endpoint: string, type: 'ws' | 'socketio') => openLink(deepLink(endpoint, type, inspector))
  // A path added to raw-ws.ts before its words reach the catalogues still shows, in English.
  const pathLines = Object.entries(RAW_WS_PATHS).map(([path, text]) => {
    const said = paths[pathKey(path)]
    return `    ${`${wsBase}${path}`.padEnd(36)} ${said === undefined ? text : fill(said)}`
  })
  const lines = [
    '',
    fill(words.title),
    '',
    `  ${fill(words.ws.heading, { port: ws })}`,
    ...pathLines,
    open(`${wsBase}/`, 'ws'),
    open(`${wsBase}/echo`, 'ws'),
    open(`${wsBase}/close-after?ms=1500&code=1011`, 'ws'),
    '',
    `  ${fill(words.wss.heading, { tls: `wss://${h}:${wss}/`, both: `wss://${h}:${ws}/` })}`,
    `      ${fill(words.wss.samePort, { port: ws })}`,
    `      ${fill(words.wss.trust, { url: `https://${h}:${wss}` })}`,
    open(`wss://${h}:${wss}/echo`, 'ws'),
    open(`wss://${h}:${ws}/`, 'ws'),
    '',
    `  ${fill(words.socketio.heading, { url: sio })}`,
    ...(server.cluster
      ? [
        `      ${fill(words.socketio.cluster, {
          count: server.cluster.nodes.length,
          nodes: server.cluster.nodes.map((n) => fill(words.socketio.node, { node: n.node, pid: n.pid })).join(', '),
        })}`,
        `      ${fill(server.cluster.sticky ? words.socketio.sticky : words.socketio.noSticky)}`,
      ]
      : []),
    `      ${fill(words.socketio.rooms)}`,
    `         ${fill(words.socketio.message)}`,
    `         ${fill(words.socketio.roomMessage, { event: ROOM_MESSAGE_EVENT })}`,
    `         ${fill(words.socketio.more)}`,
    `      ${fill(words.socketio.admin, { token: server.adminToken })}`,
    open(sio, 'socketio'),
    open(`${sio}/admin`, 'socketio'),
    open(`${sio}/ticker`, 'socketio'),
    '',
    `  ${fill(words.polling.heading, { url: poll })}`,
    open(poll, 'socketio'),
    '',
    `  ${fill(words.variants.heading)}`,
    `    ${fill(words.variants.msgpack, { url: pack })}`,
    `${open(pack, 'socketio')}&parser=msgpack`,
    `      ${fill(words.variants.defaultParser, { link: deepLink(pack, 'socketio', inspector) })}`,
    `    ${fill(words.variants.websocketOnly, { url: wsOnly })}`,
    open(wsOnly, 'socketio'),
    `    ${fill(words.variants.customPath, { path: CUSTOM_SOCKETIO_PATH, url: custom })}`,
    openLink(deepLink(custom, 'socketio', inspector, CUSTOM_SOCKETIO_PATH)),
    `      ${fill(words.variants.pathInUrl, { link: deepLink(`${custom}${CUSTOM_SOCKETIO_PATH}`, 'socketio', inspector) })}`,
    '',
    `  ${fill(words.httpOnly.heading, { url: `http://${h}:${httpOnly}` })}`,
    open(`ws://${h}:${httpOnly}/`, 'ws'),
    '',
    // A v2 server speaks Engine.IO 3, which the inspector's default v4 client cannot: `client=v2` picks the v2 one
    // (PROTOCOL.md, "Versions"). Without it, the inspector diagnoses the v2 server and offers the switch.
    `  ${fill(words.v2.heading, { url: sioV2, token: server.adminToken })}`,
    `      ${fill(words.v2.events)}`,
    `      ${fill(words.v2.client)}`,
    `${open(sioV2, 'socketio')}&client=v2`,
    `${open(`${sioV2}/admin?token=${encodeURIComponent(server.adminToken)}`, 'socketio')}&client=v2`,
    '',
    `  ${fill(words.control.heading, {
      url: `http://${isLoopbackHost(host) ? h : 'localhost'}:${control}`,
      actions: Object.keys(CONTROL_ACTIONS).filter((a) => a !== 'status').map((a) => `/${a}`).join(' '),
    })}`,
    `      ${fill(words.control.auth, { token: server.controlToken })}`,
    `      ${fill(words.control.origins, { origins })}`,
    `      ${fill(words.control.namespace)}`,
    `  ${fill(words.inspector, { url: inspector })}`,
    '',
    `  ${fill(words.openPorts)}`,
    '',
  ]
  if (!isLoopbackHost(host)) {
    lines.push(`  ${fill(words.warning, { host })}`, '')
  }
  lines.push(`  ${fill(words.stop)}`, '')
  return lines.join('\n')
}
