// What the flow level reports: RPCs as amounts over intervals instead of one call per RPC (docs/certificates.md).

export interface FlowLog {
  /**
   * Over [from, to) — never across a time-series window boundary — the callers of `edge` completed `requests` RPCs, of
   * which `failed` failed with UNAVAILABLE and Envoy flag `flag` (UF: no connection; UH: no endpoint), using
   * `attempts` tries. Amounts are expected values, so they need not be whole numbers.
   */
  flow(edge: number, from: number, to: number, requests: number, failed: number, attempts: number, flag: 'UF' | 'UH'): void;
}
