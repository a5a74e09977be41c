/**
 * "JSON parse error - <what> at line L column C (char N)", in the manner of the original's Python
 * messages. V8 says what went wrong but not always where, and may quote the body: the quote is
 * dropped and the place is found by a scan of the text.
 */
export function describeJsonError(error: unknown, text: string): string {
  const what = (error instanceof Error ? error.message : "Invalid JSON")
    .replace(/, (\.\.\.)?".*" is not valid JSON$/s, "")
    .replace(/ in JSON at position \d+.*$/s, "")
    .replace(/ is not valid JSON$/, "");
  const offset = firstErrorOffset(text);
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return `JSON parse error - ${what} at line ${line} column ${column} (char ${offset})`;
}

const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** The offset of the first character at which `text` stops being JSON (RFC 8259). */
function firstErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw new SyntaxError();
  };
  const skipWhitespace = () => {
    while (WHITESPACE.has(text[i]!)) i++;
  };
  const expect = (char: string) => (text[i] === char ? i++ : fail());
  const literal = (word: string) => {
    for (const char of word) expect(char);
  };
  const string = () => {
    expect('"');
    for (;;) {
      const char = text[i];
      if (char === undefined || char < " ") fail();
      i++;
      if (char === '"') return;
      if (char === "\\") {
        if (text[i] === "u") {
          i++;
          for (let k = 0; k < 4; k++) (/[0-9a-fA-F]/.test(text[i] ?? "") ? i++ : fail());
        } else if ('"\\/bfnrt'.includes(text[i] ?? "x")) i++;
        else fail();
      }
    }
  };
  const sequence = (close: string, item: () => void) => {
    i++;
    skipWhitespace();
    if (text[i] === close) return void i++;
    for (;;) {
      item();
      skipWhitespace();
      if (text[i] === ",") i++;
      else return void expect(close);
      skipWhitespace();
    }
  };
  const value = (): void => {
    skipWhitespace();
    const char = text[i];
    if (char === "{") {
      sequence("}", () => {
        string();
        skipWhitespace();
        expect(":");
        value();
      });
    } else if (char === "[") sequence("]", value);
    else if (char === '"') string();
    else if (char === "t") literal("true");
    else if (char === "f") literal("false");
    else if (char === "n") literal("null");
    else {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(text)) fail();
      i = NUMBER.lastIndex;
    }
  };
  try {
    value();
    skipWhitespace();
    if (i < text.length) fail();
  } catch {
    // A syntax error, or nesting too deep to scan: either way the text is bad from here.
  }
  return i;
}
