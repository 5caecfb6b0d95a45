/** A tiny random-walk stock feed used by the `/ticker` WebSocket path and the `/ticker` Socket.IO namespace. */

export interface Quote {
  symbol: string
  /** Last price, two decimals. */
  price: number
  /** Change since the feed's opening price for this symbol, two decimals. */
  change: number
  /** Epoch milliseconds. */
  time: number
}

export const DEFAULT_SYMBOLS = ['AAPL', 'MSFT', 'GOOG', 'AMZN', 'TSLA', 'NVDA'] as const

const OPENING: Record<string, number> = { AAPL: 189.5, MSFT: 415.2, GOOG: 152.3, AMZN: 178.1, TSLA: 242.8, NVDA: 875.4 }

/** Symbols are short upper-case tickers: letters, digits, dot and dash. */
export const SYMBOL_PATTERN = /^[A-Z][A-Z0-9.-]{0,11}$/

export function normalizeSymbol(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const symbol = value.trim().toUpperCase()
  return SYMBOL_PATTERN.test(symbol) ? symbol : undefined
}

const round2 = (n: number) => Math.round(n * 100) / 100

export class QuoteBook {
  private readonly open = new Map<string, number>()
  private readonly last = new Map<string, number>()

  next(symbol: string): Quote {
    let price = this.last.get(symbol)
    if (price === undefined) {
      price = OPENING[symbol] ?? round2(50 + Math.random() * 200)
      this.open.set(symbol, price)
    } else {
      // A step of at most ±0.5 %, never below one cent.
      price = Math.max(0.01, round2(price * (1 + (Math.random() - 0.5) / 100)))
    }
    this.last.set(symbol, price)
    return { symbol, price, change: round2(price - (this.open.get(symbol) ?? price)), time: Date.now() }
  }
}
