/** The self-signed certificate for `wss://`: made with `selfsigned` on first start, cached on disk, reused after. */
import { X509Certificate, createPrivateKey, randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generate } from 'selfsigned'
import type { Log } from './types.ts'

export const DEFAULT_CERT_DIR = fileURLToPath(new URL('../node_modules/.cache/socketlens-dev-server/', import.meta.url))
export const CERT_FILE_NAME = 'localhost.pem'

export interface Certificate {
  key: string
  cert: string
  file: string
  /** True when this start generated it (false when it came from the cache). */
  created: boolean
}

/** Regenerate when fewer than this many days of validity are left. */
const MIN_DAYS_LEFT = 7

function split(pem: string): { key: string; cert: string } | undefined {
  const key = /-----BEGIN (?:EC |RSA )?PRIVATE KEY-----[\s\S]+?-----END (?:EC |RSA )?PRIVATE KEY-----/.exec(pem)?.[0]
  const cert = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0]
  return key && cert ? { key: `${key}\n`, cert: `${cert}\n` } : undefined
}

function usable(pair: { key: string; cert: string }): boolean {
  try {
    const x509 = new X509Certificate(pair.cert)
    if (!x509.checkPrivateKey(createPrivateKey(pair.key))) return false
    const daysLeft = (Date.parse(x509.validTo) - Date.now()) / 86_400_000
    return daysLeft > MIN_DAYS_LEFT && Date.parse(x509.validFrom) <= Date.now() + 60_000
  } catch {
    return false
  }
}

async function create(): Promise<{ key: string; cert: string }> {
  const notBeforeDate = new Date(Date.now() - 60_000)
  const notAfterDate = new Date(notBeforeDate.getTime() + 365 * 86_400_000)
  const pems = await generate([{ name: 'commonName', value: 'localhost' }, { name: 'organizationName', value: 'SocketLens dev server' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 2, value: '*.localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  })
  // Normalized the same way as a cached file, so a fresh and a reused certificate compare equal.
  const pair = split(`${pems.private}\n${pems.cert}`)
  if (!pair) throw new Error('selfsigned returned no PEM key and certificate')
  return pair
}

/**
 * Loads the cached certificate from `dir`, or makes a new one (also when the cached one is unreadable, does not match
 * its key, or expires within a week). Key and certificate live in one file written atomically, so concurrent starts
 * can never pair one start's key with another's certificate.
 */
export async function loadOrCreateCertificate(dir: string, log: Log): Promise<Certificate> {
  const file = join(dir, CERT_FILE_NAME)
  try {
    const pair = split(await readFile(file, 'utf8'))
    if (pair && usable(pair)) return { ...pair, file, created: false }
    log(`[wss] cached certificate ${file} is unusable or about to expire: making a new one`)
  } catch {
    // Not there yet: first start.
  }
  const pair = await create()
  try {
    await mkdir(dir, { recursive: true })
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
    await writeFile(tmp, pair.key + pair.cert, { mode: 0o600 })
    await rename(tmp, file)
    log(`[wss] made a self-signed certificate for localhost: ${file}`)
  } catch (err) {
    log(`[wss] could not cache the certificate in ${dir} (${(err as Error).message}); using it for this run only`)
  }
  return { ...pair, file, created: true }
}
