/** The time source for anything that depends on "now" (daily limits, timestamps); tests replace it. */
let source: () => Date = () => new Date();

export function now(): Date {
  return source();
}

export function setClock(next: (() => Date) | null): void {
  source = next ?? (() => new Date());
}
