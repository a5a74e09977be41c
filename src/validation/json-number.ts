/**
 * A number of a request body, kept as written: Python (and so DRF) keeps an integer's every digit and
 * writes a float its own way (`1e3` → `"1000.0"`), which a JavaScript number cannot tell.
 */
export class JsonNumber {
  constructor(readonly source: string) {}

  /** An integer literal (no fraction, no exponent): Python parses it as an `int`, else as a `float`. */
  get isInteger(): boolean {
    return !/[.eE]/.test(this.source);
  }

  get value(): number {
    return Number(this.source);
  }
}
