/**
 * Durations as the protocol layer writes them (`formatDuration`, src/protocol/connectionHistory.ts): a message with
 * the number and the unit's key, so tests compare values, not English words.
 */
import { message, type MessageRef } from '../../src/protocol/message'

export const ms = (n: number): MessageRef => message('protocol.duration.ms', { n })
export const seconds = (n: number): MessageRef => message('protocol.duration.s', { n })
