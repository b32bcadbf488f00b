/**
 * What /readyz answers: named checks (the database is open, the index is loaded, each configured platform is
 * connected, the process is not shutting down), each read when asked. A check registered before its part exists
 * reads false until then, so a bot that is still loading its index answers 503 naming `index`.
 */
export class Readiness {
  private readonly checks = new Map<string, () => boolean>();

  /** Adds or replaces a check; it should be cheap and never throw (a throwing check reads as not ready). */
  set(name: string, check: () => boolean): void {
    this.checks.set(name, check);
  }

  /** Every check and whether it passes now. */
  read(): Record<string, boolean> {
    const out: Record<string, boolean> = {};
    for (const [name, check] of this.checks) {
      try {
        out[name] = check() === true;
      } catch {
        out[name] = false;
      }
    }
    return out;
  }

  /** Ready when every check passes; `notReady` names the rest. */
  state(): { ready: boolean; notReady: string[] } {
    const notReady = Object.entries(this.read())
      .filter(([, ok]) => !ok)
      .map(([name]) => name);
    return { ready: notReady.length === 0, notReady };
  }
}
