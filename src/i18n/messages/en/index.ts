/**
 * The English catalogue: the default language, the one the contract's accessible names are in (ARCHITECTURE.md),
 * and the type every other catalogue must match. One file an area, each owned with the components that use it.
 * Keys are `<area>.<component or topic>.<name>`; how to write messages: docs/i18n.md.
 */
import common from './common'
import connection from './connection'
import composer from './composer'
import socketio from './socketio'
import timeline from './timeline'
import session from './session'
import library from './library'
import diagnoses from './diagnoses'
import protocol from './protocol'
import devServer from './devServer'
import start from './start'
import sending from './sending'
import saved from './saved'
import compare from './compare'
import fanout from './fanout'
import artillery from './artillery'

export default { common, connection, composer, socketio, timeline, session, library, diagnoses, protocol, devServer, start, sending, saved, compare, fanout, artillery } as const
