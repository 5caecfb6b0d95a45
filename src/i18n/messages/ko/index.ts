/** The Korean catalogue (한국어): every key of the English one, checked by the compiler and by tests/i18n. */
import type en from '../en'
import type { Translation } from '../../catalogue'
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

export default { common, connection, composer, socketio, timeline, session, library, diagnoses, protocol, devServer, start, sending, saved, compare } satisfies Translation<typeof en>
