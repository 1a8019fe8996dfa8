/**
 * Who a viewer's fill is for. A token is bound to one asset, so the asset is known too.
 * `token` is any stable identity of the token (the service derives it from the verified
 * claims, so re-encodings of one token's text share it).
 */
export interface FillHolder {
  readonly token: string;
  readonly asset: string;
}

/** Why a fill was not started: the budget's share for the token, or for the asset, is in use. */
export type BudgetRefusal = 'token_busy' | 'asset_busy';

/** `percent` of `maxFills`, rounded down, and never below one fill. */
export function fillShare(maxFills: number, percent: number): number {
  return Math.max(1, Math.floor((maxFills * percent) / 100));
}

/**
 * Fills running per token and per asset, each capped, so one holder of a token (or of an API
 * key minting many tokens for one asset) can take only a share of the edge's fill slots and
 * the rest stay free for everyone else. Only distinct fills count: joining a fill that is
 * already running costs the origin nothing and is never refused. Counters are deleted at
 * zero, so the maps hold only holders with fills in flight (at most EDGE_MAX_FILLS each).
 */
export class FillBudget {
  private readonly byToken = new Map<string, number>();
  private readonly byAsset = new Map<string, number>();

  constructor(
    readonly perToken: number,
    readonly perAsset: number,
  ) {}

  /** Counts a new fill for `h`, or says which share is used up. */
  take(h: FillHolder): BudgetRefusal | undefined {
    const t = this.byToken.get(h.token) ?? 0;
    if (t >= this.perToken) return 'token_busy';
    const a = this.byAsset.get(h.asset) ?? 0;
    if (a >= this.perAsset) return 'asset_busy';
    this.byToken.set(h.token, t + 1);
    this.byAsset.set(h.asset, a + 1);
    return undefined;
  }

  give(h: FillHolder): void {
    dec(this.byToken, h.token);
    dec(this.byAsset, h.asset);
  }

  /** Fills in flight for a token; for tests and metrics. */
  ofToken(token: string): number {
    return this.byToken.get(token) ?? 0;
  }

  get holders(): number {
    return this.byToken.size;
  }
}

function dec(m: Map<string, number>, k: string): void {
  const n = (m.get(k) ?? 0) - 1;
  if (n <= 0) m.delete(k);
  else m.set(k, n);
}
