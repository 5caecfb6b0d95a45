/**
 * Plain-language meanings of WebSocket close codes.
 *
 * Sources: RFC 6455 §7.4.1 (defined codes), §7.4.2 (ranges), the IANA "WebSocket Close Code Number" registry
 * (1012–1015 and the 3000–3999 range) and PROTOCOL.md (what a browser reports in practice: 1006 for every
 * handshake failure, including TLS, never 1015).
 */

export interface CloseCodeInfo {
  /** Short name, e.g. "Normal closure". */
  name: string
  /** One or two sentences a person can act on. */
  meaning: string
}

const DEFINED: Readonly<Record<number, CloseCodeInfo>> = {
  1000: { name: 'Normal closure', meaning: 'The connection finished its work and was closed on purpose.' },
  1001: { name: 'Going away', meaning: 'The other end is leaving: a server shutting down or restarting, or a browser tab navigating away.' },
  1002: { name: 'Protocol error', meaning: 'An endpoint received a frame that breaks the WebSocket protocol (RFC 6455) and closed the connection.' },
  1003: { name: 'Unsupported data', meaning: 'An endpoint received a kind of data it cannot accept, for example binary frames sent to a text-only endpoint.' },
  1004: { name: 'Reserved', meaning: 'Code 1004 is reserved by RFC 6455 and has no meaning; the other end is misbehaving.' },
  1005: { name: 'No status received', meaning: 'The close frame carried no status code. Nothing is wrong: the other end closed without saying why.' },
  1006: { name: 'Abnormal closure', meaning: 'The connection ended without a close frame: the TCP connection dropped, the server crashed or was killed, or the opening handshake failed (refused, rejected, TLS or blocked). Browsers hide which.' },
  1007: { name: 'Invalid payload data', meaning: 'A message did not match its type, most often a text frame that is not valid UTF-8 (RFC 6455 §8.1).' },
  1008: { name: 'Policy violation', meaning: 'The server closed the connection because a message broke one of its rules (a generic refusal, often about authentication or authorization).' },
  1009: { name: 'Message too big', meaning: 'A message was larger than the receiving end accepts (for example the server\'s maxPayload).' },
  1010: { name: 'Mandatory extension', meaning: 'The client needed an extension that the server did not negotiate in the handshake.' },
  1011: { name: 'Internal server error', meaning: 'The server hit an unexpected condition (an exception in its handler) and closed the connection.' },
  1012: { name: 'Service restart', meaning: 'The server is restarting. Reconnecting after a short wait should work.' },
  1013: { name: 'Try again later', meaning: 'The server is overloaded or temporarily unavailable. Reconnect later, with a longer delay.' },
  1014: { name: 'Bad gateway', meaning: 'A gateway or proxy in front of the server got an invalid response from the server behind it.' },
  1015: { name: 'TLS handshake failure', meaning: 'The TLS handshake failed, for example because the certificate is not trusted. Browsers report this as 1006 in practice.' },
}

/** Known entries of the IANA registry in the 3000–3999 range. */
const REGISTERED: Readonly<Record<number, string>> = {
  3000: 'Unauthorized: the server requires authentication',
  3003: 'Forbidden: the credentials are valid but not allowed to do this',
  3008: 'Timeout: the server gave up waiting',
}

/** Name and meaning of a close code, including the ranges of RFC 6455 §7.4.2. */
export function closeCodeInfo(code: number): CloseCodeInfo {
  const defined = DEFINED[code]
  if (defined) return defined
  if (!Number.isInteger(code) || code < 0 || code > 4999)
    return { name: 'Invalid code', meaning: `${code} is not a WebSocket close code (valid codes are 1000–4999).` }
  if (code < 1000)
    return { name: 'Unused code', meaning: `Codes below 1000 are not used (RFC 6455 §7.4.2); ${code} means the other end is misbehaving.` }
  if (code < 3000)
    return { name: 'Reserved code', meaning: `${code} is reserved for future versions of the WebSocket protocol and its extensions; no meaning is defined yet.` }
  if (code < 4000) {
    const known = REGISTERED[code]
    return known
      ? { name: 'Registered code', meaning: `${known} (IANA-registered code ${code}).` }
      : { name: 'Registered code', meaning: `${code} is in the range libraries and frameworks register with IANA; look it up in the server's library documentation.` }
  }
  return { name: 'Application code', meaning: `${code} is application-defined (4000–4999): its meaning is whatever the server's application says. Check the reason text and the server's documentation.` }
}

/**
 * One sentence for the timeline: "1000 Normal closure: …", followed by the reason when the server gave one.
 * The reason is untrusted server text and is only ever rendered as text.
 */
export function explainCloseCode(code: number, reason = ''): string {
  const info = closeCodeInfo(code)
  const said = reason ? ` The reason given was "${reason}".` : ''
  return `${code} ${info.name}: ${info.meaning}${said}`
}
