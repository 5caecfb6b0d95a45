import { diagnose, diagnosisText } from '../diagnose'
import type { Diagnosis, FailureFacts } from '../diagnose'
import type { MessageRef } from '../message'
import type { DiagnosisDetail, EngineCloseDetail, SocketIoFailureDetail } from '../events'

/**
 * What a Socket.IO failure looks like from the client (v4 or v2), flattened into FailureFacts and a small,
 * serializable timeline `detail` (no Error, XMLHttpRequest or CloseEvent objects are kept).
 */

/** Longest HTTP body kept from a failed polling request. */
export const MAX_HTTP_BODY = 2000

interface TransportErrorLike {
  message: string
  name: string
  type?: string
  description?: unknown
  context?: unknown
  data?: unknown
  code?: unknown
}

interface XhrLike {
  status?: unknown
  statusText?: unknown
  responseText?: unknown
}

function errorOf(value: unknown): { name: string, message: string } | undefined {
  if (value instanceof Error) return { name: value.name, message: value.message }
  if (value && typeof value === 'object') {
    // ws's ErrorEvent (Node) carries the real cause; a browser's bare Event carries nothing.
    const inner = (value as { error?: unknown }).error
    if (inner instanceof Error) return { name: inner.name, message: inner.message }
    const message = (value as { message?: unknown }).message
    if (typeof message === 'string' && message !== '') return { name: 'Error', message }
  }
  return undefined
}

/** The facts and detail of a `connect_error` (TransportError, middleware Error{message, data}, `timeout`, ...). */
export function connectErrorFacts(err: unknown): { facts: Partial<FailureFacts>, detail: SocketIoFailureDetail } {
  const e = (err && typeof err === 'object' ? err : { name: 'Error', message: String(err) }) as TransportErrorLike
  const facts: Partial<FailureFacts> = { socketIoErrorMessage: e.message, error: { name: e.name, message: e.message } }
  const detail: SocketIoFailureDetail = {}
  if (e.type === 'TransportError') {
    detail.type = 'TransportError'
    const context = (e.context && typeof e.context === 'object' ? e.context : undefined) as XhrLike | undefined
    // In Node, xmlhttprequest-ssl reports a failed request as status 0 with the socket error in statusText.
    const cause = errorOf(e.description) ?? errorOf(context?.statusText)
    if (cause) {
      facts.error = cause
      detail.cause = cause.message
    }
    else {
      const status = typeof e.description === 'number' ? e.description : typeof context?.status === 'number' ? context.status : undefined
      if (status !== undefined) {
        facts.httpStatus = status
        detail.httpStatus = status
      }
      if (typeof context?.responseText === 'string' && context.responseText !== '') {
        facts.httpBody = context.responseText.slice(0, MAX_HTTP_BODY)
        detail.httpBody = facts.httpBody
      }
    }
  }
  else if (e.message === 'server error' && e.code !== undefined) {
    // An Engine.IO `error` packet, or a body the v4 parser could not read (code 'parser error').
    detail.code = e.code
  }
  if (e.data !== undefined) {
    facts.socketIoErrorData = e.data
    detail.data = e.data
  }
  return { facts, detail }
}

/** An Engine.IO error body `{"code":1,"message":"Session ID unknown"}`: the server does not know the request's sid. */
export function isSessionUnknown(body: string | undefined): boolean {
  if (!body || body.length > MAX_HTTP_BODY) return false
  try {
    const parsed: unknown = JSON.parse(body)
    return !!parsed && typeof parsed === 'object' && (parsed as { code?: unknown }).code === 1
  }
  catch {
    return false
  }
}

/**
 * A `disconnect` whose description is a polling TransportError answered HTTP 400 "Session ID unknown": its status and
 * body as facts (only that case: other disconnects keep the facts they had, and their diagnoses).
 */
export function sessionUnknownFacts(description: unknown): Pick<FailureFacts, 'httpStatus' | 'httpBody'> {
  if (!(description instanceof Error) || (description as TransportErrorLike).type !== 'TransportError') return {}
  const { facts } = connectErrorFacts(description)
  if (facts.httpStatus !== 400 || !isSessionUnknown(facts.httpBody)) return {}
  return { httpStatus: 400, httpBody: facts.httpBody }
}

/** `disconnect` details: the close description, and the WebSocket close code/reason when the transport closed. */
export function disconnectDetail(description: unknown): EngineCloseDetail {
  const detail: EngineCloseDetail = {}
  if (!description || typeof description !== 'object') return detail
  if (description instanceof Error) {
    detail.description = description.message
    const { description: inner, context } = description as TransportErrorLike
    const cause = errorOf(inner) ?? errorOf((context as XhrLike | undefined)?.statusText)
    if (cause) detail.cause = cause.message
    return detail
  }
  const { description: text, context } = description as { description?: unknown, context?: unknown }
  if (typeof text === 'string') detail.description = text
  if (context && typeof context === 'object' && 'code' in context) closeEventDetail(context, detail)
  return detail
}

/**
 * A WebSocket CloseEvent's code, reason and wasClean, copied into `detail` (closeCode, closeReason when not empty,
 * wasClean). The engine itself only reports 'transport close'; 1006 is a close without a close frame (RFC 6455
 * §7.1.5).
 */
export function closeEventDetail(event: object, detail: EngineCloseDetail): EngineCloseDetail {
  const { code, reason, wasClean } = event as { code?: unknown, reason?: unknown, wasClean?: unknown }
  if (typeof code === 'number') detail.closeCode = code
  if (typeof reason === 'string' && reason !== '') detail.closeReason = reason
  if (typeof wasClean === 'boolean') detail.wasClean = wasClean
  return detail
}

/**
 * One place that asks diagnose.ts. The lifecycle event gets `explain` (the diagnosis's explanation, as a message)
 * and `detail.diagnosis` (the Diagnosis: id, words' variant and parameters, evidence, guess): the same shape as the
 * raw WebSocket driver's, so the UI reads both alike.
 */
export function explainFailure(facts: FailureFacts, detail: DiagnosisDetail = {}): { diagnosis: Diagnosis, explain: MessageRef } {
  const diagnosis = diagnose(facts)
  detail.diagnosis = diagnosis
  return { diagnosis, explain: diagnosisText(diagnosis, 'explanation') }
}
